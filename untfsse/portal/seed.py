"""The site's own texts, written from the source documents (news of 29 November 2019 and the
brief report of March 2022)."""

from untfsse.core.seeding import upsert
from untfsse.portal.models import SiteText

HOME_INTRO = """\
The United Nations Inter-Agency Task Force on Social and Solidarity Economy (UNTFSSE) was set up
in 2013 to make the social and solidarity economy (SSE) better known among those who shape
international research and policy, so that it can help carry out the 2030 Agenda for
Sustainable Development as a whole.

Its members are UN agencies and the OECD; civil-society organisations take part as observers.
Together they seek recognition for what SSE enterprises and organisations contribute to
sustainable development, spread knowledge of the SSE and strengthen its networks, help build
the institutions and policies in which the SSE can thrive, and coordinate international work
through new and stronger partnerships.
"""


def load_seed_data() -> str:
    upsert(SiteText, {"key": "home-intro"}, {"title": "Who we are", "body": HOME_INTRO})
    return "1 site text"

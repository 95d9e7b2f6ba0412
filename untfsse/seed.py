"""The site's own texts, written from the source documents (news of 29 November 2019 and the
brief report of March 2022)."""

from untfsse.models import SiteText
from untfsse.seeding import upsert

HOME_INTRO = """\
The United Nations Inter-Agency Task Force on Social and Solidarity Economy (UNTFSSE) was set up
in 2013 to raise the visibility of the social and solidarity economy (SSE) in international
knowledge and policy circles, as a way to implement the 2030 Agenda for Sustainable Development
in an integrated manner.

Its members are UN entities and the OECD; international civil-society networks of the SSE take
part as observers. Together they work to have the role of SSE enterprises and organisations in
sustainable development recognised, to build and share knowledge on the SSE, to support an
enabling policy environment, and to coordinate international efforts and partnerships.
"""


def load_seed_data() -> str:
    upsert(SiteText, {"key": "home-intro"}, {"title": "Who we are", "body": HOME_INTRO})
    return "1 site text"

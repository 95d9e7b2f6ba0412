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

HOME_INTRO_FR = """\
L’Équipe spéciale interinstitutions des Nations Unies sur l’économie sociale et solidaire
(UNTFSSE) a été créée en 2013 pour faire mieux connaître l’économie sociale et solidaire (ESS)
de celles et ceux qui orientent la recherche et les politiques internationales, afin qu’elle
contribue à la mise en œuvre du Programme de développement durable à l’horizon 2030 dans son
ensemble.

Ses membres sont des organismes des Nations Unies et l’OCDE ; des organisations de la société
civile y participent en tant qu’observateurs. Ensemble, ils cherchent à faire reconnaître ce que
les entreprises et organisations de l’ESS apportent au développement durable, à diffuser la
connaissance de l’ESS et à renforcer ses réseaux, à bâtir les institutions et les politiques
dans lesquelles l’ESS peut prospérer, et à coordonner le travail international par des
partenariats nouveaux et plus solides.
"""

HOME_INTRO_ES = """\
El Grupo de Trabajo Interinstitucional de las Naciones Unidas sobre Economía Social y Solidaria
(UNTFSSE) se creó en 2013 para dar a conocer mejor la economía social y solidaria (ESS) entre
quienes orientan la investigación y las políticas internacionales, de modo que pueda contribuir
a la Agenda 2030 para el Desarrollo Sostenible en su conjunto.

Sus miembros son organismos de las Naciones Unidas y la OCDE; las organizaciones de la sociedad
civil participan como observadoras. Juntos buscan el reconocimiento de lo que las empresas y
organizaciones de la ESS aportan al desarrollo sostenible, difundir el conocimiento de la ESS y
fortalecer sus redes, ayudar a construir las instituciones y políticas en las que la ESS pueda
prosperar, y coordinar el trabajo internacional mediante alianzas nuevas y más sólidas.
"""


def load_seed_data() -> str:
    upsert(
        SiteText,
        {"key": "home-intro"},
        {
            "title": "Who we are",
            "body": HOME_INTRO,
            "title_fr": "Qui sommes-nous",
            "body_fr": HOME_INTRO_FR,
            "title_es": "Quiénes somos",
            "body_es": HOME_INTRO_ES,
        },
    )
    return "1 site text"

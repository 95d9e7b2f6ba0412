"""factory_boy factories, one module per app: `from tests.factories.meetings import MeetingFactory`.

The account and members factories are re-exported here because nearly every test needs them.
"""

from tests.factories.members import (
    DEFAULT_PASSWORD,
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SecretariatUserFactory,
    UserFactory,
)

__all__ = [
    "DEFAULT_PASSWORD",
    "FocalPointFactory",
    "OrganisationFactory",
    "PersonFactory",
    "RoleFactory",
    "SecretariatUserFactory",
    "UserFactory",
]

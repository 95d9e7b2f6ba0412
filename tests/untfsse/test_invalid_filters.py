"""A list page whose filters were not understood answers 400 with the page itself: the error
said next to the filters, what was asked kept in them; an understood filter answers 200."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("load_seed_data", verbosity=0)


@pytest.mark.parametrize(
    ("address", "kept", "understood"),
    [
        ("/members/?kind=summit", "summit", "/members/?kind=member"),
        ("/meetings/?year=abc", "abc", "/meetings/?year=2023"),
        ("/action-plan/?status=finished", "finished", "/action-plan/?status=completed"),
        ("/knowledge-hub/?q=housing&sdg=99", "housing", "/knowledge-hub/?q=housing&sdg=8"),
        ("/fr/knowledge-hub/?theme=nowhere", "nowhere", "/fr/knowledge-hub/?sdg=8"),
    ],
)
def test_a_filter_not_understood_answers_400_with_the_page(
    client, seeded, address, kept, understood
):
    response = client.get(address)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html or "Sélectionnez un choix valide" in html
    assert kept in html
    assert client.get(understood).status_code == 200
    # Never kept for the next visitor: the same address answers 400 again.
    assert client.get(address).status_code == 400

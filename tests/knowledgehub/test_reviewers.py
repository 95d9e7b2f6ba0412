"""The secretariat makes people reviewers, and withdraws the role, from its own page."""

import pytest
from django.contrib.auth.models import Group

from knowledgehub.groups import REVIEWERS_GROUP
from knowledgehub.selectors import eligible_reviewers
from tests.factories import FocalPointFactory, UserFactory
from untfsse.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def is_reviewer(user) -> bool:
    return user.groups.filter(name=REVIEWERS_GROUP).exists()


def test_the_secretariat_grants_and_withdraws_the_reviewer_role(client, secretariat):
    person = UserFactory(name="Ilcheong Yi", email="yi@example.org")
    assert not secretariat.is_superuser
    client.force_login(secretariat)
    response = client.post("/knowledge-hub/reviewers/", {"email": "YI@example.org"}, follow=True)
    html = response.content.decode()
    assert "Ilcheong Yi is a reviewer: you can ask them to review submissions." in html
    assert is_reviewer(person)
    assert person in eligible_reviewers()
    assert f'<button type="submit" name="withdraw" value="{person.pk}"' in html
    response = client.post("/knowledge-hub/reviewers/", {"withdraw": str(person.pk)}, follow=True)
    assert "Ilcheong Yi is no longer a reviewer." in response.content.decode()
    assert not is_reviewer(person)
    assert list(
        AuditEntry.objects.filter(action__startswith="reviewer.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["reviewer.grant", "reviewer.withdraw"]


def test_an_unknown_address_is_explained_and_kept(client, secretariat):
    client.force_login(secretariat)
    response = client.post("/knowledge-hub/reviewers/", {"email": "nobody@example.org"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "No account uses this address." in html
    assert 'value="nobody@example.org"' in html


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "Reviewers"), ("/fr", "Évaluateurs"), ("/es", "Revisores")]
)
def test_the_reviewers_page_is_translated(client, secretariat, prefix, heading):
    Group.objects.get_or_create(name=REVIEWERS_GROUP)[0].user_set.add(UserFactory(name="Yi"))
    client.force_login(secretariat)
    html = client.get(f"{prefix}/knowledge-hub/reviewers/").content.decode()
    assert f"<h1>{heading}</h1>" in html


def test_only_the_secretariat_grants_the_role(client):
    focal_point = FocalPointFactory()
    client.force_login(focal_point)
    response = client.post("/knowledge-hub/reviewers/", {"email": focal_point.email})
    assert response.status_code == 403
    assert not is_reviewer(focal_point)


@pytest.mark.parametrize("count", [1, 3])
def test_the_reviewers_page_asks_as_many_queries_however_many_reviewers(
    client, secretariat, django_assert_num_queries, count
):
    group = Group.objects.get(name=REVIEWERS_GROUP)
    for number in range(count):
        group.user_set.add(UserFactory(name=f"Reviewer {number}"))
    client.force_login(secretariat)
    # user, the reader's person, the secretariat check, the reviewers (the session is read from
    # the cache)
    with django_assert_num_queries(4):
        response = client.get("/knowledge-hub/reviewers/")
    assert [user.name for user in response.context["reviewers"]] == [
        f"Reviewer {number}" for number in range(count)
    ]

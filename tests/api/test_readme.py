"""The README's API examples, run as they are written (with the live server's address for
`make run`'s) against the seed data."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

README = Path(settings.BASE_DIR) / "README.md"
DOCUMENTED_ADDRESS = "http://127.0.0.1:8000"


def readme_examples() -> list[tuple[str, str]]:
    """(comment, shell lines) of each example in the README's API section's code block."""
    section = README.read_text().split("\n## API\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    examples: list[tuple[str, list[str]]] = []
    for line in block.strip().splitlines():
        if line.startswith("# "):
            examples.append((line[2:], []))
        else:
            examples[-1][1].append(line)
    return [(comment, "\n".join(lines)) for comment, lines in examples]


def run(script: str, address: str) -> str:
    completed = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace(DOCUMENTED_ADDRESS, address)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return completed.stdout


def test_readme_examples_run_against_the_seed_data(live_server):
    call_command("load_seed_data", verbosity=0)
    examples = readme_examples()
    assert len(examples) == 9
    outputs = {comment: run(script, live_server.url) for comment, script in examples}
    answers = list(outputs.values())

    index = json.loads(answers[0])
    assert index["meetings"] == f"{live_server.url}/api/v1/meetings/"
    assert json.loads(answers[1])["results"] == []  # the seed's meetings are all past
    regular = json.loads(answers[2])["results"]
    assert [meeting["slug"] for meeting in regular] == [
        "virtual-meeting-2023-09",
        "44th-regular-meeting",
    ]
    assert regular[1]["participation"]["participants"] == 20
    observers = json.loads(answers[3])
    assert (observers["count"], len(observers["results"])) == (13, 5)
    assert observers["next"].startswith(f"{live_server.url}/api/v1/organisations/?")
    plans = json.loads(answers[4])["results"]
    assert (plans[0]["slug"], [plan["is_current"] for plan in plans]) == (
        "2022-2024",
        [True] + [False] * (len(plans) - 1),
    )
    resources = json.loads(answers[5])
    assert resources["count"] >= 1 and "facets" in resources
    assert json.loads(answers[6])["results"] == []
    assert answers[7] == "304\n"
    assert json.loads(answers[8]) == {
        "status": 400,
        "detail": "Some query parameters are not valid: see errors.",
        "errors": {"kind": ["Select a valid choice. summit is not one of the available choices."]},
    }

"""Every management command of Plume shows its help (argparse needs plain strings)."""

import pytest
from django.core.management import get_commands, load_command_class

PLUME_APPS = {"core", "authors", "blog", "comments", "wordpress", "webhooks", "bench"}
PLUME_COMMANDS = sorted(name for name, app in get_commands().items() if app in PLUME_APPS)


def test_plume_commands_are_found():
    assert {"demo", "import_wordpress", "repair_text", "comments_personal_data", "purge_comments"} <= set(
        PLUME_COMMANDS
    )


@pytest.mark.parametrize("name", PLUME_COMMANDS)
def test_every_command_prints_its_help(name):
    command = load_command_class(get_commands()[name], name)
    help_text = command.create_parser("manage.py", name).format_help()
    assert f"manage.py {name}" in help_text

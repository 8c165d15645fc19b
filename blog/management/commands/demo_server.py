import os
from io import StringIO

from django.core.management.base import OutputWrapper
from whitenoise.runserver_nostatic.management.commands.runserver import Command as RunserverCommand

# What `make run` hands over from the demo command (the admin login), for the server to show.
NOTICE_VARIABLE = "PLUME_DEMO_NOTICE"
ADDRESS_LINE = "Starting development server at"


class Command(RunserverCommand):
    help = (
        "Django's development server (static files by whitenoise), with the demo's admin login "
        f"(${NOTICE_VARIABLE}) printed right before the server's address, where a newcomer looks."
    )

    def on_bind(self, server_port):
        notice = os.environ.get(NOTICE_VARIABLE, "").strip()
        if not notice:
            return super().on_bind(server_port)
        stdout, buffer = self.stdout, StringIO()
        self.stdout = OutputWrapper(buffer)
        try:
            super().on_bind(server_port)
        finally:
            self.stdout = stdout
        banner = buffer.getvalue()
        before, found, after = banner.partition(ADDRESS_LINE)
        self.stdout.write(f"{before}{notice}\n{found}{after}" if found else f"{banner}{notice}", ending="")

"""``manage.py rundemo`` stops its Celery worker and beat however it is stopped: Ctrl-C, or a SIGTERM (``kill``)
or SIGHUP (a closed terminal), which Python would otherwise end without running any cleanup."""

import os
import signal
from unittest import mock

import pytest

from demo.management.commands import rundemo


class FakeChild:
    def __init__(self):
        self.signals = []

    def poll(self):
        return None if not self.signals else 0

    def send_signal(self, number):
        self.signals.append(number)

    def wait(self, timeout):
        return 0


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_to_the_demo_stops_its_worker_and_beat(number, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    children = [FakeChild(), FakeChild()]
    before = signal.getsignal(number)

    def serve(*args, **kwargs):  # the web server, until the signal arrives
        os.kill(os.getpid(), number)

    command = rundemo.Command()
    with (
        mock.patch.object(rundemo, "call_command", serve),
        mock.patch.object(rundemo.Command, "_start", side_effect=children),
        pytest.raises(KeyboardInterrupt),
    ):
        command.handle(addrport="127.0.0.1:0")
    assert [child.signals for child in children] == [[signal.SIGTERM], [signal.SIGTERM]]
    assert signal.getsignal(number) is before  # the process's own handler is back

"""The job tests use the elections' fixtures: the web tests' organisation, an open election."""

from tests.elections.conftest import *  # noqa: F403
from tests.web.conftest import org as org

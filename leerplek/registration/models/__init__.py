"""The registration app's models, one module per area (see each module's docstring). Each
module lists its models in `__all__`."""

from leerplek.registration.models.activities import *  # noqa: F403
from leerplek.registration.models.plan import *  # noqa: F403
from leerplek.registration.models.quicklog import *  # noqa: F403
from leerplek.registration.models.rights import *  # noqa: F403
from leerplek.registration.models.schedule import *  # noqa: F403

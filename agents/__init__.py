"""The two simulated speakers and the loop that makes them talk (``dialogsim.agents``)."""

from dialogsim._layout import require_name

require_name(__name__, "dialogsim.agents")

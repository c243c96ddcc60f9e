"""The two simulated speakers and the loop that makes them talk (``dialogsim.agents``)."""

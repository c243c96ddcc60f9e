"""The implementations behind ``dialogsim.testing.strategies`` (the one public module)."""

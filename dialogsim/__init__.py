"""dialogsim: scenario files in, annotated dialogue corpora out."""
__version__ = "0.1.0"

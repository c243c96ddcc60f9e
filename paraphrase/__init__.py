"""Language variation: from acts and values to text with exact spans (``dialogsim.paraphrase``)."""

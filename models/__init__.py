"""The NER, action-prediction and argument-filling models (``dialogsim.models``).

They train on the corpus ``dialogsim generate`` writes and need the ``models`` extra
(torch, transformers, the encoder package). Nothing in the core imports this package,
so generating corpora never imports torch.
"""

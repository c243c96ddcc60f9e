"""Interoperability: other formats in and out of dialogsim.

In: ``import_sgd`` (an SGD service becomes a scenario file, ``sgd_schema``) and
``convert_sgd`` (SGD dialogues become a corpus, ``sgd_dialogues``). Out: ``export_corpus``
(a corpus as Rasa training data, CoNLL BIO, SGD dialogues and schema, or a Hugging Face
dataset folder, ``export``). This package is orchestration: it reads SGD with
``sgd_format`` and agrees with itself on names through ``sgd_names``.
"""

"""The core every feature stands on: the instrument and the scoring (pure Python), the life cycle, the models and
the services more than one feature needs. Nothing here imports a feature package (see README, "How the code is
laid out")."""

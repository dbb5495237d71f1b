"""The action server package (rasa-sdk loads every module below it).

Plain-Python domain modules sit at the top level (clarification, checklist, devices) and
import nothing from Rasa; the Rasa actions in `dialogue/` are thin: they read the tracker,
call the domain, and set slots that pick the wording in domain.yml.
"""

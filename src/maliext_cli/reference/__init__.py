"""Vocabularies of the programme: disciplines, degrees, mission types, countries, regions."""

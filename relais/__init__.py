"""Relais: relay COVID-19 screening results from pharmacies to SI-DEP."""

"""Pharmacist web app: server-rendered templates, thin views."""

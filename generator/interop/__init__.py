"""Interchange stage: the catalogue in and out of open formats (Open Referral HSDS 3.0, CPSV-AP 3.2.0, spreadsheets)."""

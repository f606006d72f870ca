"""The official A4 forms of the one-stop circular (DOMAIN.md, Standard slips and forms) as PDF, with reportlab."""

"""Pure rules with no store: ID card QR, calendar, lifecycle, queue rules, text folding, display, clock."""

"""The clerk's desk: sign-in, the clerk's window and its forms, lists, dialogs."""

"""The citizen's rating of each service, asked at the counter's citizen screen."""

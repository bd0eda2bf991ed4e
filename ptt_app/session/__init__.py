"""One run of the console assembled from settings, keyring and journal; the only door to the demo simulator."""

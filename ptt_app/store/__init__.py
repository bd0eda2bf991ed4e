"""What the app keeps between runs: settings, keyring credentials, the request journal, and their folders."""

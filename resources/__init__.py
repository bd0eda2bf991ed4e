"""Icons and styles shipped with the app, found through importlib.resources."""

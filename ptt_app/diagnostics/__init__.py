"""What the app records about itself: the rotating log file and crash reports (never the secret)."""

"""The hall's public screens: the kiosk, the queue board with its voice."""

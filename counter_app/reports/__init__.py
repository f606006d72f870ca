"""Reports for any period: dossiers in the shape of the periodic report, the queue's service level."""

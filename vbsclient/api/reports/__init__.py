"""Reports computed from listings: summary and coverage."""

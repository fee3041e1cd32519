"""OpenStackClient plugin for the Volume Backup Service (VBS) backup API."""

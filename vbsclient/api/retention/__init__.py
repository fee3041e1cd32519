"""Retention: which backups a keep policy removes, why, and in what order;
then deleting them.

decision, policy, chains, order and plan are pure functions over lists
of :class:`vbsclient.backup.Backup`; gather (what a plan reads), delete
(one backup) and apply (a plan's removals) send the requests.
"""

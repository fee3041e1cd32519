"""Functional-test harness: a real Keystone and Cinder on loopback.

Stdlib only.  Everything that needs Keystone's or Cinder's own libraries runs
as a subprocess with the interpreters of the virtualenvs that ``install``
creates under ``${VBS_HARNESS_CACHE:-$HOME/.cache/python-vbsclient}``.

Modules, one job each:

- ``install``: the pinned server virtualenvs (created once, then reused).
- ``procs``: child processes in their own process groups, free ports,
  waiting for a server to answer.
- ``httpjson``: tiny JSON-over-HTTP client (urllib, no proxies, no redirects).
- ``keystone``: configure, bootstrap and serve Keystone; its admin API.
- ``cinder``: configure, db-sync and serve the Cinder API alone.
- ``seed``: insert backup rows straight into Cinder's sqlite database.
- ``sqlrows``: one write transaction of rows into that database.
- ``rabbit``: a private RabbitMQ node on loopback (Debian's package).
- ``backupsvc``: one cinder-backup beside cinder-api, and taking it down.
- ``chains``: backups cinder-backup can delete, chains; their rows.
- ``tlscerts``: a throw-away CA and certificates, made with ``openssl``.
- ``front``: a forwarding HTTP(S) front with a per-request hook and delay.
- ``cleanup``: live clouds stopped at exit and on signals; temp workdirs.
- LocalCloud's methods, by job (mixins): ``identitycloud`` (users, tokens,
  projects, catalog), ``apicloud`` (raw cinder-api calls, extra cinder-apis,
  their request logs), ``seedcloud`` (rows for the cloud's users),
  ``frontcloud`` (fronts before its servers), ``cloudsyaml`` (render and
  merge ``clouds.yaml`` entries), ``handover`` (``state()``/``from_state()``
  for another process), ``backupcloud`` (the backup service).
- ``cloud``: ``LocalCloud``, which starts and stops all of the above, and
  ``shared_cloud()``, a per-process singleton.
"""

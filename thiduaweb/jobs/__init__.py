"""Background jobs: the progress page and download of large Excel exports (`core.jobs`), and the
`flask jobs worker` / `flask jobs purge` commands."""

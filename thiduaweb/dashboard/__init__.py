"""The city's view: dashboards from summary rows, drill-down, "Việc cần làm", annual reports, exports."""

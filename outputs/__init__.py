"""Output formats several apps share: charts (SVG/PNG), XLSX workbooks and CSV downloads, and PostgreSQL's COPY.

A plain package, not a Django app: no models, and nothing here imports from the
project's apps, so any app may use it without an import cycle.

- ``outputs.charts``     bar charts, histograms and line charts with Chinese text (matplotlib)
- ``outputs.fonts``      the charts' Chinese font, from the mplfonts package
- ``outputs.xlsx``       one sheet from headers and rows, and the download response
- ``outputs.csv``        a CSV download Excel opens with the Chinese intact
- ``outputs.downloads``  the attachment header every browser reads
- ``outputs.jobs``       long exports and reports run by a worker, with their progress
- ``outputs.pgcopy``     rows out as CSV and rows in as a bulk stream (indicators' frames, the sweep's deliveries)
"""

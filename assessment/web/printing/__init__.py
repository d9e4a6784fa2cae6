"""PDF printing: WeasyPrint rendering, the QR stamp, the PDF cache, issued documents."""

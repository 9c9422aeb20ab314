"""What goes out: tidy tables, the collated regional workbook, the blank review template,
chart images and the quarter summary. No Streamlit here: the pages and the command line
call these functions."""

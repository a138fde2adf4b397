"""Bringing an existing AIMS in from spreadsheets: one framework for every kind of register.

`reading` turns an uploaded CSV or XLSX into rows of text, refusing hostile files; `fields`
says how a column's text becomes a service's value and back (the same text the exports
write, so an export imports unchanged); `engine` checks every row through the domain
services, computes the diff and writes all rows or none; `kinds` declares the registers.
"""

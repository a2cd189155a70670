#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpus of fuzz_attributes: Get-Printer-Attributes responses in
IPP wire format (RFC 8010), an honest one and hostile ones."""
import os, struct, sys

def attr(tag, name, value):
    n = name.encode(); v = value if isinstance(value, bytes) else value.encode()
    return bytes([tag]) + struct.pack('>H', len(n)) + n + struct.pack('>H', len(v)) + v

def extra(tag, value):  # additional value of the previous attribute
    return attr(tag, '', value)

def response(printer_attrs):
    out = struct.pack('>BBHI', 2, 0, 0, 1)
    out += b'\x01' + attr(0x47, 'attributes-charset', 'utf-8') + attr(0x48, 'attributes-natural-language', 'en')
    out += b'\x04' + printer_attrs + b'\x03'
    return out

honest = (attr(0x41, 'printer-make-and-model', 'Acme TestJet 8000') +
          attr(0x44, 'media-supported', 'iso_a4_210x297mm') + extra(0x44, 'na_letter_8.5x11in') +
          attr(0x49, 'document-format-supported', 'application/pdf') + extra(0x49, 'image/urf') +
          attr(0x45, 'printer-more-info', 'https://10.0.0.5/') +
          attr(0x34, 'media-col-database', b'') + bytes([0x4a, 0, 0, 0, 10]) + b'media-type' +
          bytes([0x44, 0, 0, 0, 10]) + b'stationery' + bytes([0x37, 0, 0, 0, 0]) +
          attr(0x21, 'copies-default', struct.pack('>i', 1)))
seeds = {
    'honest': response(honest),
    'newline': response(attr(0x41, 'printer-make-and-model', 'Evil\n*FoomaticRIPCommandLine: "x"')),
    'quote': response(attr(0x41, 'printer-info', 'Hall" *cupsFilter2: "a b 0 evil')),
    'keyword': response(attr(0x44, 'media-supported', 'a4 *OpenUI')),
}
d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus', 'attributes')
os.makedirs(d, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

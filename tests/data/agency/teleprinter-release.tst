   ZCZC AAP
%MNETALL MFI
$J
:
:Harbour Authority
*X
Media release: New quay opens to ships in May

Tue 4 March 2025

The Harbour Authority today opened bookings for the new quay.

Berths available from May:
* Quay 1: 240 m
* Quay 2: 310 m

SOURCE: Harbour Authority

NNNN

z7001-----
r s BC-SOC--Harbour-Derby 1stLd-Writethru   03-04 0210
^BC-SOC--Harbour-Derby, 1st Ld-Writethru,180<
^Antwerp win harbour derby in the last minute<
^AP Photo ANT101, ANT102<
^Eds: Updates with quotes.<
^By JAN PEETERS=
^AP Sports Writer=
	   ANTWERP, Belgium (AP) _ Antwerp beat Ghent 2-1 on Tuesday with a goal in the
last minute of the harbour derby.
 
	   ``We never stopped believing,'' coach Mia Claes said.
 
	   The teams meet again in May.
 
	   AP-WF-03-04-25 2215GMT<


"""The reports' Spanish and Norwegian (Bokmål) texts, by English message id.

Translators edit this table; ``make messages`` refreshes the message ids of
``reports/locale/{en,es,nb}/LC_MESSAGES/django.po`` from the code and templates, then
``python -m reports.translations`` writes these texts into them and compiles the ``.mo``
files with polib (committed, so installing and running need no gettext tools). Plural messages map to a
pair of forms (one, other).
"""

from __future__ import annotations

# msgid: (Spanish, Norwegian Bokmål)
TEXTS: dict[str, tuple[str, str]] = {
    # charts
    "No funding yet": ("Aún sin financiación", "Ingen finansiering ennå"),
    "European cluster organisations %(period)s: %(share)s public": (
        "Organizaciones clúster europeas %(period)s: %(share)s pública",
        "Europeiske klyngeorganisasjoner %(period)s: %(share)s offentlig",
    ),
    "No approved year yet": ("Aún sin año aprobado", "Ingen godkjente år ennå"),
    "Roadmap": ("Hoja de ruta", "Veikart"),
    "Approved actuals": ("Valores reales aprobados", "Godkjente faktiske verdier"),
    "Target %(year)s": ("Objetivo %(year)s", "Mål %(year)s"),
    "No roadmap yet": ("Aún sin hoja de ruta", "Ikke noe veikart ennå"),
    "Planned": ("Previsto", "Planlagt"),
    "Actual": ("Real", "Faktisk"),
    "No stages yet": ("Aún sin etapas", "Ingen faser ennå"),
    "As-is": ("Situación actual", "Slik det er"),
    "To-be (in action)": ("Situación futura (en marcha)", "Slik det skal bli (i gang)"),
    "%(title)s with %(count)s notes": (
        "%(title)s con %(count)s notas",
        "%(title)s med %(count)s lapper",
    ),
    # completeness
    "There is no submission for %(year)s yet.": (
        "Aún no hay ningún informe de %(year)s.",
        "Det finnes ingen innrapportering for %(year)s ennå.",
    ),
    "The %(year)s submission is %(state)s, not approved: its figures are not in this report.": (
        "El informe de %(year)s está en estado «%(state)s», no aprobado: sus cifras no figuran "
        "en este informe.",
        "Innrapporteringen for %(year)s har status «%(state)s», ikke godkjent: tallene er ikke "
        "med i denne rapporten.",
    ),
    "There is no fx rate for %(currency)s in %(year)s: the amounts cannot be converted into "
    "%(program_currency)s.": (
        "No hay tipo de cambio para %(currency)s en %(year)s: los importes no se pueden "
        "convertir a %(program_currency)s.",
        "Det finnes ingen valutakurs for %(currency)s i %(year)s: beløpene kan ikke regnes om "
        "til %(program_currency)s.",
    ),
    "The %(year)s submission reports no costs.": (
        "El informe de %(year)s no declara costes.",
        "Innrapporteringen for %(year)s oppgir ingen kostnader.",
    ),
    "There is no approved submission for %(year)s to compare with.": (
        "No hay ningún informe aprobado de %(year)s con el que comparar.",
        "Det finnes ingen godkjent innrapportering for %(year)s å sammenligne med.",
    ),
    "No approved value of “%(kpi)s” in %(year)s to compare with its roadmap.": (
        "No hay ningún valor aprobado de «%(kpi)s» en %(year)s para compararlo con su hoja de "
        "ruta.",
        "Ingen godkjent verdi for «%(kpi)s» i %(year)s å sammenligne med veikartet.",
    ),
    "The %(canvas)s has not been drawn yet.": (
        "Aún no se ha elaborado el %(canvas)s.",
        "%(canvas)s er ikke laget ennå.",
    ),
    # chart titles
    "Financing %(year)s by source": (
        "Financiación %(year)s por fuente",
        "Finansiering %(year)s etter kilde",
    ),
    "Public share of funding by year": (
        "Peso de la financiación pública por año",
        "Offentlig andel av finansieringen per år",
    ),
    "Costs %(year)s by category (%(currency)s)": (
        "Costes %(year)s por categoría (%(currency)s)",
        "Kostnader %(year)s etter kategori (%(currency)s)",
    ),
    "Roadmap: %(kpi)s": ("Hoja de ruta: %(kpi)s", "Veikart: %(kpi)s"),
    "%(cluster)s · version %(version)s": (
        "%(cluster)s · versión %(version)s",
        "%(cluster)s · versjon %(version)s",
    ),
    "%(canvas)s: planned against actual budgets": (
        "%(canvas)s: presupuestos previstos frente a reales",
        "%(canvas)s: planlagte mot faktiske budsjetter",
    ),
    "no approved submission for %(year)s": (
        "sin informe aprobado de %(year)s",
        "ingen godkjent innrapportering for %(year)s",
    ),
    # document
    "Annual report %(year)s: %(cluster)s": (
        "Informe anual %(year)s: %(cluster)s",
        "Årsrapport %(year)s: %(cluster)s",
    ),
    "The annual report of %(cluster)s for %(year)s in %(program)s.": (
        "El informe anual de %(cluster)s de %(year)s en %(program)s.",
        "Årsrapporten for %(cluster)s for %(year)s i %(program)s.",
    ),
    "Page %(page)s of %(pages)s": ("Página %(page)s de %(pages)s", "Side %(page)s av %(pages)s"),
    "Funding mix": ("Combinación de financiación", "Finansieringsmiks"),
    "Funding over the years": ("La financiación a lo largo de los años", "Finansieringen over tid"),
    "By stage, category and region": (
        "Por etapa, categoría y región",
        "Etter fase, kategori og region",
    ),
    "Reliance on public money": (
        "Dependencia de fondos públicos",
        "Avhengighet av offentlige midler",
    ),
    "Costs and deficits": ("Costes y déficits", "Kostnader og underskudd"),
    "Value impact": ("Impacto de valor", "Verdieffekt"),
    "Progress against roadmaps": ("Avance frente a las hojas de ruta", "Fremdrift mot veikartene"),
    "Completeness of reporting": ("Exhaustividad de los informes", "Fullstendig rapportering"),
    "What if": ("¿Y si…?", "Hva om"),
    "The clusters one by one": ("Los clústeres uno a uno", "Klyngene én for én"),
    "(no region)": ("(sin región)", "(ingen region)"),
    "By stage": ("Por etapa", "Etter fase"),
    "By category (why the cluster exists)": (
        "Por categoría (por qué existe el clúster)",
        "Etter kategori (hvorfor klyngen finnes)",
    ),
    "By region": ("Por región", "Etter region"),
    "Funding mix by year": ("Combinación de financiación por año", "Finansieringsmiks per år"),
    "Share of reporting clusters with KPIs of each kind": (
        "Proporción de clústeres que informan KPI de cada tipo",
        "Andel rapporterende klynger med KPI-er av hver type",
    ),
    "The portfolio's business model map %(year)s": (
        "Mapa del modelo de negocio de la cartera %(year)s",
        "Porteføljens forretningsmodellkart %(year)s",
    ),
    "Portfolio report %(year)s: %(program)s": (
        "Informe de cartera %(year)s: %(program)s",
        "Porteføljerapport %(year)s: %(program)s",
    ),
    "The portfolio report of %(program)s for %(year)s.": (
        "El informe de cartera de %(program)s de %(year)s.",
        "Porteføljerapporten for %(program)s for %(year)s.",
    ),
    "Figures as of %(date)s, the latest change to what this report shows.": (
        "Cifras a %(date)s, el último cambio en lo que muestra este informe.",
        "Tall per %(date)s, siste endring i det denne rapporten viser.",
    ),
    # cluster report
    "Country and region": ("País y región", "Land og region"),
    "Sector": ("Sector", "Bransje"),
    "Stage": ("Etapa", "Fase"),
    "Why it exists": ("Por qué existe", "Hvorfor den finnes"),
    "Founded": ("Fundado", "Grunnlagt"),
    "%(founded)s (%(year)s is its year %(nth)s)": (
        "%(founded)s (%(year)s es su año %(nth)s)",
        "%(founded)s (%(year)s er dens år %(nth)s)",
    ),
    "Staff": ("Personal", "Ansatte"),
    "%(fte)s FTE": ("%(fte)s ETC", "%(fte)s årsverk"),
    "Submission %(year)s": ("Informe %(year)s", "Innrapportering %(year)s"),
    "Currency": ("Moneda", "Valuta"),
    "Amounts in %(currency)s, the programme's currency, unless a column says otherwise.": (
        "Importes en %(currency)s, la moneda del programa, salvo que una columna indique otra.",
        "Beløp i %(currency)s, programmets valuta, med mindre en kolonne sier noe annet.",
    ),
    "Financing %(year)s": ("Financiación %(year)s", "Finansiering %(year)s"),
    "In %(year)s %(cluster)s was financed with %(total)s %(currency)s: %(public)s public, "
    "%(private)s private and %(project)s project funding.": (
        "En %(year)s %(cluster)s se financió con %(total)s %(currency)s: %(public)s pública, "
        "%(private)s privada y %(project)s por proyectos.",
        "I %(year)s ble %(cluster)s finansiert med %(total)s %(currency)s: %(public)s "
        "offentlig, %(private)s privat og %(project)s prosjektfinansiering.",
    ),
    "Funding by mechanism": ("Financiación por mecanismo", "Finansiering etter mekanisme"),
    "Mechanism": ("Mecanismo", "Mekanisme"),
    "Amount (%(currency)s)": ("Importe (%(currency)s)", "Beløp (%(currency)s)"),
    "Share": ("Proporción", "Andel"),
    "Total": ("Total", "Totalt"),
    "Each column is a funding mechanism, as wide as its share; each block a funding source.": (
        "Cada columna es un mecanismo de financiación, tan ancha como su proporción; cada "
        "bloque, una fuente.",
        "Hver kolonne er en finansieringsmekanisme, like bred som andelen; hver blokk en kilde.",
    ),
    "Funding by source": ("Financiación por fuente", "Finansiering etter kilde"),
    "Source": ("Fuente", "Kilde"),
    "Reported (%(cur)s)": ("Declarado (%(cur)s)", "Rapportert (%(cur)s)"),
    "Converted (%(currency)s)": ("Convertido (%(currency)s)", "Omregnet (%(currency)s)"),
    "restricted": ("con destino fijado", "øremerket"),
    "in kind": ("en especie", "i naturalia"),
    "The submission is in %(cur)s. Every amount is converted with the programme's fx rate "
    "for %(year)s: 1 %(cur)s = %(rate)s %(currency)s, so %(reported)s %(cur)s are "
    "%(converted)s %(currency)s.": (
        "El informe está en %(cur)s. Cada importe se convierte con el tipo de cambio del "
        "programa para %(year)s: 1 %(cur)s = %(rate)s %(currency)s, así que %(reported)s "
        "%(cur)s son %(converted)s %(currency)s.",
        "Innrapporteringen er i %(cur)s. Hvert beløp regnes om med programmets valutakurs for "
        "%(year)s: 1 %(cur)s = %(rate)s %(currency)s, så %(reported)s %(cur)s er "
        "%(converted)s %(currency)s.",
    ),
    "The %(year)s submission is in %(cur)s and the programme has no fx rate for %(cur)s in "
    "%(year)s: its amounts cannot be converted into %(currency)s.": (
        "El informe de %(year)s está en %(cur)s y el programa no tiene tipo de cambio para "
        "%(cur)s en %(year)s: sus importes no se pueden convertir a %(currency)s.",
        "Innrapporteringen for %(year)s er i %(cur)s, og programmet har ingen valutakurs for "
        "%(cur)s i %(year)s: beløpene kan ikke regnes om til %(currency)s.",
    ),
    "There is no approved submission for %(year)s.": (
        "No hay ningún informe aprobado de %(year)s.",
        "Det finnes ingen godkjent innrapportering for %(year)s.",
    ),
    "Change since the year before": ("Cambio respecto al año anterior", "Endring fra året før"),
    "%(before)s against %(year)s (%(currency)s)": (
        "%(before)s frente a %(year)s (%(currency)s)",
        "%(before)s mot %(year)s (%(currency)s)",
    ),
    "a difference\x04Change": ("Cambio", "Endring"),
    "Change in %%": ("Cambio en %%", "Endring i %%"),
    "The public share went from %(before)s to %(now)s (%(change)s).": (
        "El peso público pasó de %(before)s a %(now)s (%(change)s).",
        "Den offentlige andelen gikk fra %(before)s til %(now)s (%(change)s).",
    ),
    "There is no approved %(before)s to compare %(year)s with.": (
        "No hay ningún %(before)s aprobado con el que comparar %(year)s.",
        "Det finnes ikke noe godkjent %(before)s å sammenligne %(year)s med.",
    ),
    "Over the years": ("A lo largo de los años", "Over tid"),
    "The dashed line is the published European figure: cluster organisations' public share "
    "fell to about %(share)s in %(period)s.": (
        "La línea discontinua es la cifra europea publicada: el peso público de las "
        "organizaciones clúster bajó a cerca del %(share)s en %(period)s.",
        "Den stiplede linjen er det publiserte europeiske tallet: klyngeorganisasjonenes "
        "offentlige andel falt til rundt %(share)s i %(period)s.",
    ),
    "The public share of each approved year.": (
        "El peso público de cada año aprobado.",
        "Den offentlige andelen i hvert godkjente år.",
    ),
    "Approved years (%(currency)s)": (
        "Años aprobados (%(currency)s)",
        "Godkjente år (%(currency)s)",
    ),
    "Year": ("Año", "År"),
    "Public share": ("Peso público", "Offentlig andel"),
    "%(y)s is left out: it has no fx rate.": (
        "%(y)s queda fuera: no tiene tipo de cambio.",
        "%(y)s er utelatt: det mangler valutakurs.",
    ),
    "No approved year yet.": ("Aún no hay ningún año aprobado.", "Ingen godkjente år ennå."),
    "Costs and balance %(year)s": ("Costes y saldo %(year)s", "Kostnader og balanse %(year)s"),
    "Costs by category": ("Costes por categoría", "Kostnader etter kategori"),
    "Category": ("Categoría", "Kategori"),
    "Funding against costs": ("Financiación frente a costes", "Finansiering mot kostnader"),
    "Funding": ("Financiación", "Finansiering"),
    "Costs": ("Costes", "Kostnader"),
    "Balance": ("Saldo", "Balanse"),
    "Costs exceeded funding: a deficit of %(gap)s %(currency)s.": (
        "Los costes superaron la financiación: un déficit de %(gap)s %(currency)s.",
        "Kostnadene oversteg finansieringen: et underskudd på %(gap)s %(currency)s.",
    ),
    "Funding covered the costs with %(gap)s %(currency)s to spare.": (
        "La financiación cubrió los costes con %(gap)s %(currency)s de margen.",
        "Finansieringen dekket kostnadene med %(gap)s %(currency)s til overs.",
    ),
    "Funding covered the costs exactly.": (
        "La financiación cubrió exactamente los costes.",
        "Finansieringen dekket kostnadene nøyaktig.",
    ),
    "Key performance indicators %(year)s": (
        "Indicadores clave de rendimiento %(year)s",
        "Nøkkeltall %(year)s",
    ),
    "Against the year before": ("Frente al año anterior", "Mot året før"),
    "KPI": ("KPI", "KPI"),
    "Kind": ("Tipo", "Type"),
    "Unit": ("Unidad", "Enhet"),
    "No approved KPI values for %(year)s or the year before.": (
        "No hay valores de KPI aprobados para %(year)s ni para el año anterior.",
        "Ingen godkjente KPI-verdier for %(year)s eller året før.",
    ),
    "Against the value-impact roadmap": (
        "Frente a la hoja de ruta de impacto de valor",
        "Mot veikartet for verdieffekt",
    ),
    "Interpolated targets for %(year)s": (
        "Objetivos interpolados para %(year)s",
        "Interpolerte mål for %(year)s",
    ),
    "Baseline": ("Línea de base", "Utgangspunkt"),
    "Actual %(year)s": ("Real %(year)s", "Faktisk %(year)s"),
    "Status": ("Estado", "Status"),
    "Data source: %(source)s.": ("Fuente de datos: %(source)s.", "Datakilde: %(source)s."),
    "Verified by a third party.": ("Verificado por un tercero.", "Verifisert av en tredjepart."),
    "Not verified by a third party.": (
        "No verificado por un tercero.",
        "Ikke verifisert av en tredjepart.",
    ),
    "The cluster has no value-impact roadmap yet.": (
        "El clúster aún no tiene hoja de ruta de impacto de valor.",
        "Klyngen har ikke noe veikart for verdieffekt ennå.",
    ),
    "Business model canvases": ("Lienzos del modelo de negocio", "Forretningsmodellverktøy"),
    "The cluster's current business model map: its funding shares by source.": (
        "El mapa actual del modelo de negocio del clúster: su financiación por fuente.",
        "Klyngens nåværende forretningsmodellkart: finansieringsandelene etter kilde.",
    ),
    "Not drawn yet.": ("Aún no elaborado.", "Ikke laget ennå."),
    "Planned against actual (%(currency)s)": (
        "Previsto frente a real (%(currency)s)",
        "Planlagt mot faktisk (%(currency)s)",
    ),
    "Planned budget": ("Presupuesto previsto", "Planlagt budsjett"),
    "Budget needed": ("Presupuesto necesario", "Budsjettbehov"),
    "Financial stress": ("Tensión financiera", "Økonomisk press"),
    "Gap": ("Diferencia", "Avvik"),
    "Blue notes are as-is, orange notes to-be (in action).": (
        "Las notas azules describen la situación actual; las naranjas, la futura (en marcha).",
        "Blå lapper viser slik det er, oransje slik det skal bli (i gang).",
    ),
    "Completeness": ("Exhaustividad", "Fullstendighet"),
    "Nothing is missing: the submission is approved, complete and without warnings.": (
        "No falta nada: el informe está aprobado, completo y sin avisos.",
        "Ingenting mangler: innrapporteringen er godkjent, fullstendig og uten varsler.",
    ),
    # programme report
    "%(clusters)s clusters reported approved figures for %(year)s: %(total)s %(currency)s of "
    "funding, %(public)s of it public.": (
        "%(clusters)s clústeres presentaron cifras aprobadas de %(year)s: %(total)s "
        "%(currency)s de financiación, %(public)s de ella pública.",
        "%(clusters)s klynger rapporterte godkjente tall for %(year)s: %(total)s %(currency)s "
        "i finansiering, %(public)s av den offentlig.",
    ),
    "Programme": ("Programa", "Program"),
    "Amounts in %(currency)s; other currencies are converted with the programme's fx rate of "
    "each year.": (
        "Importes en %(currency)s; las demás monedas se convierten con el tipo de cambio del "
        "programa de cada año.",
        "Beløp i %(currency)s; andre valutaer regnes om med programmets valutakurs for hvert år.",
    ),
    "Counted": ("Se cuentan", "Telles med"),
    "Approved submissions only.": (
        "Solo los informes aprobados.",
        "Bare godkjente innrapporteringer.",
    ),
    "On track": ("En la senda", "I rute"),
    "%(share)s of the clusters assessed against their roadmaps (%(on)s of %(assessed)s)": (
        "%(share)s de los clústeres evaluados frente a sus hojas de ruta (%(on)s de %(assessed)s)",
        "%(share)s av klyngene som er vurdert mot veikartene sine (%(on)s av %(assessed)s)",
    ),
    "Reporting": ("Informes", "Rapportering"),
    "%(approved)s of %(clusters)s active clusters approved": (
        "%(approved)s de %(clusters)s clústeres activos aprobados",
        "%(approved)s av %(clusters)s aktive klynger godkjent",
    ),
    "Contents": ("Índice", "Innhold"),
    "Funding by mechanism %(year)s": (
        "Financiación por mecanismo %(year)s",
        "Finansiering etter mekanisme %(year)s",
    ),
    "Each cluster's own public share: median %(median)s, from %(low)s to %(high)s. Mean "
    "concentration of sources (HHI, 0 to 1): %(hhi)s.": (
        "Peso público de cada clúster: mediana %(median)s, de %(low)s a %(high)s. "
        "Concentración media de fuentes (HHI, de 0 a 1): %(hhi)s.",
        "Hver klynges egen offentlige andel: median %(median)s, fra %(low)s til %(high)s. "
        "Gjennomsnittlig konsentrasjon av kilder (HHI, 0 til 1): %(hhi)s.",
    ),
    "Not counted, and why:": ("No contabilizados, y por qué:", "Ikke talt med, og hvorfor:"),
    "The share of each funding mechanism in each year's approved funding.": (
        "El peso de cada mecanismo en la financiación aprobada de cada año.",
        "Andelen hver mekanisme har av den godkjente finansieringen hvert år.",
    ),
    "Funding by year (%(currency)s)": (
        "Financiación por año (%(currency)s)",
        "Finansiering per år (%(currency)s)",
    ),
    "Clusters": ("Clústeres", "Klynger"),
    "Against the European figure": ("Frente a la cifra europea", "Mot det europeiske tallet"),
    "European cluster organisations' public share fell to about %(share)s in %(period)s. "
    "This portfolio's public share in %(year)s is %(public)s (%(gap)s against that figure).": (
        "El peso público de las organizaciones clúster europeas bajó a cerca del %(share)s en "
        "%(period)s. El peso público de esta cartera en %(year)s es %(public)s (%(gap)s "
        "respecto a esa cifra).",
        "Den offentlige andelen for europeiske klyngeorganisasjoner falt til rundt %(share)s i "
        "%(period)s. Denne porteføljens offentlige andel i %(year)s er %(public)s (%(gap)s mot "
        "det tallet).",
    ),
    "Group": ("Grupo", "Gruppe"),
    "Total (%(currency)s)": ("Total (%(currency)s)", "Totalt (%(currency)s)"),
    "Median public share": ("Mediana del peso público", "Median offentlig andel"),
    "No approved figures.": ("Sin cifras aprobadas.", "Ingen godkjente tall."),
    "Clusters with more than %(threshold)s public funding in %(year)s": (
        "Clústeres con más del %(threshold)s de financiación pública en %(year)s",
        "Klynger med mer enn %(threshold)s offentlig finansiering i %(year)s",
    ),
    "Cluster": ("Clúster", "Klynge"),
    "None of the %(counted)s clusters counted.": (
        "Ninguno de los %(counted)s clústeres contabilizados.",
        "Ingen av de %(counted)s klyngene som er talt med.",
    ),
    "Clusters moving, or stuck above the threshold": (
        "Clústeres que se mueven o siguen por encima del umbral",
        "Klynger som beveger seg, eller ligger fast over terskelen",
    ),
    "Clusters to follow up: not approved, or with warnings": (
        "Clústeres a seguir: sin aprobar o con avisos",
        "Klynger å følge opp: ikke godkjent, eller med varsler",
    ),
    "Who is moving, %(first)s to %(last)s": (
        "Quién se está moviendo, de %(first)s a %(last)s",
        "Hvem som beveger seg, %(first)s til %(last)s",
    ),
    "Direction": ("Dirección", "Retning"),
    "First": ("Primero", "Første"),
    "Last": ("Último", "Siste"),
    "Costs by category %(year)s": (
        "Costes por categoría %(year)s",
        "Kostnader etter kategori %(year)s",
    ),
    "Funding %(funding)s against costs %(costs)s: a balance of %(balance)s %(currency)s.": (
        "Financiación de %(funding)s frente a costes de %(costs)s: un saldo de %(balance)s "
        "%(currency)s.",
        "Finansiering på %(funding)s mot kostnader på %(costs)s: en balanse på %(balance)s "
        "%(currency)s.",
    ),
    "Clusters whose costs exceed their funding": (
        "Clústeres cuyos costes superan su financiación",
        "Klynger der kostnadene overstiger finansieringen",
    ),
    "None: every counted cluster covered its costs.": (
        "Ninguno: todos los clústeres contabilizados cubrieron sus costes.",
        "Ingen: alle klyngene som er talt med, dekket kostnadene sine.",
    ),
    "Does the portfolio measure outcomes? %(n)s of %(total)s reporting clusters (%(share)s) "
    "report at least one outcome KPI (jobs, startups, revenue, exports, capital).": (
        "¿Mide la cartera resultados? %(n)s de %(total)s clústeres que informan (%(share)s) "
        "declaran al menos un KPI de resultado (empleo, startups, ingresos, exportaciones, "
        "capital).",
        "Måler porteføljen resultater? %(n)s av %(total)s rapporterende klynger (%(share)s) "
        "rapporterer minst ett resultatmål (arbeidsplasser, oppstartsbedrifter, omsetning, "
        "eksport, kapital).",
    ),
    "KPIs by kind": ("KPI por tipo", "KPI-er etter type"),
    "KPIs defined": ("KPI definidos", "Definerte KPI-er"),
    "KPIs reported": ("KPI declarados", "Rapporterte KPI-er"),
    "Clusters reporting": ("Clústeres que informan", "Rapporterende klynger"),
    "Share of clusters": ("Proporción de clústeres", "Andel av klyngene"),
    "KPIs reported in %(year)s": ("KPI declarados en %(year)s", "KPI-er rapportert i %(year)s"),
    "Value": ("Valor", "Verdi"),
    "Year before": ("Año anterior", "Året før"),
    "mean": ("media", "gjennomsnitt"),
    "%(with)s clusters have a value-impact roadmap; %(assessed)s could be assessed in "
    "%(year)s and %(on)s of them are on track (%(share)s).": (
        "%(with)s clústeres tienen hoja de ruta de impacto de valor; %(assessed)s se pudieron "
        "evaluar en %(year)s y %(on)s de ellos van en la senda (%(share)s).",
        "%(with)s klynger har veikart for verdieffekt; %(assessed)s kunne vurderes i %(year)s, "
        "og %(on)s av dem er i rute (%(share)s).",
    ),
    "%(with)s clusters have a value-impact roadmap; none reported an approved value for "
    "%(year)s to assess.": (
        "%(with)s clústeres tienen hoja de ruta de impacto de valor; ninguno declaró un valor "
        "aprobado de %(year)s que evaluar.",
        "%(with)s klynger har veikart for verdieffekt; ingen rapporterte en godkjent verdi for "
        "%(year)s som kan vurderes.",
    ),
    "No cluster has a value-impact roadmap yet.": (
        "Ningún clúster tiene aún hoja de ruta de impacto de valor.",
        "Ingen klynge har veikart for verdieffekt ennå.",
    ),
    "The %(year)s reporting period ran from %(opens)s to %(closes)s.": (
        "El periodo de informes de %(year)s fue del %(opens)s al %(closes)s.",
        "Rapporteringsperioden for %(year)s varte fra %(opens)s til %(closes)s.",
    ),
    "Active clusters by the state of their submission": (
        "Clústeres activos según el estado de su informe",
        "Aktive klynger etter status for innrapporteringen",
    ),
    "State": ("Estado", "Status"),
    "Warnings": ("Avisos", "Varsler"),
    "There is no reporting period for %(year)s.": (
        "No hay periodo de informes para %(year)s.",
        "Det finnes ingen rapporteringsperiode for %(year)s.",
    ),
    "The programme's saved scenario “%(name)s” (%(date)s):": (
        "El escenario guardado del programa «%(name)s» (%(date)s):",
        "Programmets lagrede scenario «%(name)s» (%(date)s):",
    ),
    "Before and after (%(currency)s)": (
        "Antes y después (%(currency)s)",
        "Før og etter (%(currency)s)",
    ),
    "Portfolio": ("Cartera", "Portefølje"),
    "Before": ("Antes", "Før"),
    "After": ("Después", "Etter"),
    "Clusters in deficit": ("Clústeres en déficit", "Klynger med underskudd"),
    "Could no longer cover their costs": (
        "Ya no podrían cubrir sus costes",
        "Kunne ikke lenger dekke kostnadene sine",
    ),
    "Funding after": ("Financiación después", "Finansiering etter"),
    "Shortfall": ("Déficit", "Mangler"),
    "No cluster would fall into deficit.": (
        "Ningún clúster entraría en déficit.",
        "Ingen klynge ville fått underskudd.",
    ),
    "Shown as saved: its funding sources have changed since.": (
        "Se muestra tal como se guardó: sus fuentes de financiación han cambiado desde entonces.",
        "Vist slik det ble lagret: finansieringskildene har endret seg siden.",
    ),
    "Approved figures %(year)s (%(currency)s)": (
        "Cifras aprobadas %(year)s (%(currency)s)",
        "Godkjente tall %(year)s (%(currency)s)",
    ),
    "yes": ("sí", "ja"),
    "no": ("no", "nei"),
    "pp": ("pp", "pp"),
    # words
    "Public": ("Pública", "Offentlig"),
    "Private": ("Privada", "Privat"),
    "Project": ("Proyectos", "Prosjekt"),
    "Set-up": ("Puesta en marcha", "Etablering"),
    "Operations": ("Funcionamiento", "Drift"),
    "Projects": ("Proyectos", "Prosjekter"),
    "Baby (early network)": ("Incipiente (red temprana)", "Spire (tidlig nettverk)"),
    "Emerging": ("Emergente", "Fremvoksende"),
    "Growth": ("Crecimiento", "Vekst"),
    "Supercluster": ("Superclúster", "Superklynge"),
    "Grow an existing industry": (
        "Hacer crecer una industria existente",
        "Vekst i en eksisterende næring",
    ),
    "Transform an industry": ("Transformar una industria", "Omstilling av en næring"),
    "Build a new industry": ("Crear una industria nueva", "Bygge en ny næring"),
    "Activity": ("Actividad", "Aktivitet"),
    "Output": ("Producto", "Leveranse"),
    "Outcome": ("Resultado", "Resultat"),
    "Impact": ("Impacto", "Effekt"),
    "Draft": ("Borrador", "Utkast"),
    "Submitted": ("Enviado", "Sendt inn"),
    "Returned for changes": ("Devuelto para cambios", "Sendt tilbake for endringer"),
    "Approved": ("Aprobado", "Godkjent"),
    "Not started": ("Sin empezar", "Ikke påbegynt"),
    "Behind": ("Retrasado", "Etter skjema"),
    "Not reported": ("No declarado", "Ikke rapportert"),
    "Before the baseline": ("Antes de la línea de base", "Før utgangspunktet"),
    "Moving towards private funding": (
        "Avanza hacia la financiación privada",
        "Beveger seg mot privat finansiering",
    ),
    "Moving towards public funding": (
        "Avanza hacia la financiación pública",
        "Beveger seg mot offentlig finansiering",
    ),
    "Stuck above the threshold": ("Estancado por encima del umbral", "Fast over terskelen"),
    "Stable": ("Estable", "Stabil"),
    "Too few years to tell": ("Muy pocos años para saberlo", "For få år til å si noe"),
    "Low": ("Baja", "Lavt"),
    "Medium": ("Media", "Middels"),
    "High": ("Alta", "Høyt"),
    "Total funding changed much from last year": (
        "La financiación total cambió mucho respecto al año pasado",
        "Samlet finansiering endret seg mye fra i fjor",
    ),
    "Costs above funding": (
        "Costes por encima de la financiación",
        "Kostnader over finansieringen",
    ),
    "A KPI far outside its history": (
        "Un KPI muy fuera de su historial",
        "En KPI langt utenfor historikken",
    ),
    "A funding source of last year is gone": (
        "Ha desaparecido una fuente de financiación del año pasado",
        "En finansieringskilde fra i fjor er borte",
    ),
    "Public share above the programme's threshold": (
        "Peso público por encima del umbral del programa",
        "Offentlig andel over programmets terskel",
    ),
    "A KPI the programme requires is missing": (
        "Falta un KPI que exige el programa",
        "En KPI programmet krever, mangler",
    ),
    "Members": ("Miembros", "Medlemmer"),
    "Funding partners": ("Socios financiadores", "Finansieringspartnere"),
    "Member relationships": ("Relación con los miembros", "Medlemsrelasjoner"),
    "Channels": ("Canales", "Kanaler"),
    "Value proposition": ("Propuesta de valor", "Verdiløfte"),
    "Key activities": ("Actividades clave", "Nøkkelaktiviteter"),
    "Key resources": ("Recursos clave", "Nøkkelressurser"),
    "Key stakeholders": ("Actores clave", "Viktige interessenter"),
    "Ecosystems & partner clusters": (
        "Ecosistemas y clústeres socios",
        "Økosystemer og partnerklynger",
    ),
    "Public funding": ("Financiación pública", "Offentlig finansiering"),
    "Private funding": ("Financiación privada", "Privat finansiering"),
    "Project funding": ("Financiación por proyectos", "Prosjektfinansiering"),
    "Cost structure": ("Estructura de costes", "Kostnadsstruktur"),
    "Cluster Business Model Map": (
        "Mapa del modelo de negocio del clúster",
        "Klyngens forretningsmodellkart",
    ),
    "Cluster Business Model Evolution Map": (
        "Mapa de evolución del modelo de negocio del clúster",
        "Kart over klyngens forretningsmodellutvikling",
    ),
    "Cluster Business Model Canvas": (
        "Lienzo del modelo de negocio del clúster",
        "Klyngens forretningsmodellerret",
    ),
    # the catalogue's funding sources
    "National cluster programme": ("Programa nacional de clústeres", "Nasjonalt klyngeprogram"),
    "Other national government / ministry funding": (
        "Otra financiación del gobierno nacional / ministerios",
        "Annen finansiering fra staten / departementer",
    ),
    "Regional / state government": ("Gobierno regional / estatal", "Fylke / delstat"),
    "Local government / municipality": ("Gobierno local / ayuntamiento", "Kommune"),
    "International public financing (EU, World Bank, UN, IDB, GIZ, JICA)": (
        "Financiación pública internacional (UE, Banco Mundial, ONU, BID, GIZ, JICA)",
        "Internasjonal offentlig finansiering (EU, Verdensbanken, FN, IDB, GIZ, JICA)",
    ),
    "Publicly funded accelerator / incubator programme": (
        "Programa de aceleración / incubación con fondos públicos",
        "Offentlig finansiert akselerator- / inkubatorprogram",
    ),
    "Employment and wage subsidies": (
        "Subvenciones al empleo y a los salarios",
        "Sysselsettings- og lønnstilskudd",
    ),
    "Chamber of commerce funding": (
        "Financiación de la cámara de comercio",
        "Finansiering fra handelskammer",
    ),
    "Membership fees": ("Cuotas de socios", "Medlemskontingent"),
    "Member-funded projects": (
        "Proyectos financiados por los miembros",
        "Medlemsfinansierte prosjekter",
    ),
    "Programmes and member activities": (
        "Programas y actividades para miembros",
        "Programmer og medlemsaktiviteter",
    ),
    "Events and sponsorship": ("Eventos y patrocinio", "Arrangementer og sponsing"),
    "Training programmes": ("Programas de formación", "Opplæringsprogrammer"),
    "Market reports and business intelligence": (
        "Informes de mercado e inteligencia de negocio",
        "Markedsrapporter og markedsinnsikt",
    ),
    "Go-to-market and export programmes": (
        "Programas de salida al mercado y exportación",
        "Markeds- og eksportprogrammer",
    ),
    "Startup and scale-up programme fees": (
        "Cuotas de programas para startups y scale-ups",
        "Avgifter for oppstarts- og vekstprogrammer",
    ),
    "Fees on capital raised (typically 2.5 to 10 %)": (
        "Comisiones sobre el capital captado (normalmente del 2,5 al 10 %)",
        "Honorar av innhentet kapital (vanligvis 2,5 til 10 %)",
    ),
    "Fast-track to IPO programmes": (
        "Programas de vía rápida a la salida a bolsa",
        "Hurtigløp mot børsnotering",
    ),
    "Equity and venture fund returns": (
        "Rendimientos de participaciones y fondos de capital riesgo",
        "Avkastning fra eierandeler og venturefond",
    ),
    "Member share programme": ("Programa de acciones para miembros", "Medlemsandelsprogram"),
    "Office, workshop and lab rent": (
        "Alquiler de oficinas, talleres y laboratorios",
        "Leie av kontor, verksted og lab",
    ),
    "Digital platform subscriptions": (
        "Suscripciones a la plataforma digital",
        "Abonnement på digital plattform",
    ),
    "Services and consulting fees": ("Servicios y consultoría", "Tjenester og rådgivning"),
    "Open innovation and scouting fees": (
        "Cuotas de innovación abierta y búsqueda de oportunidades",
        "Honorar for åpen innovasjon og speiding",
    ),
    "Commissions on collaborative projects": (
        "Comisiones sobre proyectos colaborativos",
        "Provisjon på samarbeidsprosjekter",
    ),
    "Corporate partnerships": ("Alianzas con empresas", "Bedriftspartnerskap"),
    "EU project funding (Horizon Europe, Interreg, ...)": (
        "Financiación de proyectos de la UE (Horizonte Europa, Interreg, ...)",
        "EU-prosjektfinansiering (Horisont Europa, Interreg, ...)",
    ),
    "National project funding (research council, innovation agency)": (
        "Financiación nacional de proyectos (agencia de investigación, agencia de innovación)",
        "Nasjonal prosjektfinansiering (forskningsråd, innovasjonsetat)",
    ),
    "Regional and local project funding": (
        "Financiación regional y local de proyectos",
        "Regional og lokal prosjektfinansiering",
    ),
    "Other international project funding": (
        "Otra financiación internacional de proyectos",
        "Annen internasjonal prosjektfinansiering",
    ),
    # the default KPIs
    "Members (all helices)": ("Miembros (todas las hélices)", "Medlemmer (alle heliksene)"),
    "Members: industry": ("Miembros: industria", "Medlemmer: næringsliv"),
    "Members: academia": ("Miembros: academia", "Medlemmer: akademia"),
    "Members: government": ("Miembros: administración", "Medlemmer: offentlig sektor"),
    "Members: entrepreneurs (startups, scale-ups)": (
        "Miembros: emprendedores (startups, scale-ups)",
        "Medlemmer: gründere (oppstarts- og vekstselskaper)",
    ),
    "Members: capital (angels, VCs, investors)": (
        "Miembros: capital (business angels, capital riesgo, inversores)",
        "Medlemmer: kapital (engleinvestorer, venturefond, investorer)",
    ),
    "R&D projects started": ("Proyectos de I+D iniciados", "FoU-prosjekter startet"),
    "Jobs created": ("Empleos creados", "Arbeidsplasser skapt"),
    "Startups created": ("Startups creadas", "Oppstartsbedrifter etablert"),
    "Member revenue": ("Ingresos de los miembros", "Medlemmenes omsetning"),
    "Member exports": ("Exportaciones de los miembros", "Medlemmenes eksport"),
    "Public funds mobilised": ("Fondos públicos movilizados", "Offentlige midler mobilisert"),
    "Capital raised": ("Capital captado", "Kapital hentet inn"),
    "Events held": ("Eventos celebrados", "Arrangementer holdt"),
    "Event participants": ("Participantes en eventos", "Deltakere på arrangementer"),
    "Cluster staff": ("Personal del clúster", "Klyngens ansatte"),
    "Global market share": ("Cuota de mercado mundial", "Global markedsandel"),
    "Share of regional GDP": ("Peso en el PIB regional", "Andel av regionalt BNP"),
}

# msgid: ((Spanish one, other), (Norwegian one, other))
PLURALS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "One thing is missing or needs a look:": (
        ("Falta una cosa o requiere revisión:", "Faltan %(counter)s cosas o requieren revisión:"),
        ("Én ting mangler eller bør sees på:", "%(counter)s ting mangler eller bør sees på:"),
    ),
    "One cluster is moving from public towards private funding.": (
        (
            "Un clúster avanza de la financiación pública hacia la privada.",
            "%(counter)s clústeres avanzan de la financiación pública hacia la privada.",
        ),
        (
            "Én klynge beveger seg fra offentlig mot privat finansiering.",
            "%(counter)s klynger beveger seg fra offentlig mot privat finansiering.",
        ),
    ),
    "One is moving towards more public funding.": (
        (
            "Uno avanza hacia más financiación pública.",
            "%(counter)s avanzan hacia más financiación pública.",
        ),
        (
            "Én beveger seg mot mer offentlig finansiering.",
            "%(counter)s beveger seg mot mer offentlig finansiering.",
        ),
    ),
    "One stays above the threshold every year.": (
        (
            "Uno se mantiene por encima del umbral todos los años.",
            "%(counter)s se mantienen por encima del umbral todos los años.",
        ),
        ("Én ligger over terskelen hvert år.", "%(counter)s ligger over terskelen hvert år."),
    ),
}


def _key(entry: object) -> str:
    """A message's key in TEXTS: its id, after its context and a \\x04 when it has one."""
    context = getattr(entry, "msgctxt", None)
    msgid = getattr(entry, "msgid", "")
    return f"{context}\x04{msgid}" if context else msgid


def main() -> None:
    """Fill the catalogues from the tables and compile them (polib, no GNU gettext)."""
    from pathlib import Path

    import polib

    here = Path(__file__).resolve().parent / "locale"
    for index, language in ((None, "en"), (0, "es"), (1, "nb")):
        path = here / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        po.metadata.update(
            {
                "Project-Id-Version": "clusterbase",
                "Language": language,
                "Language-Team": language,
                "Last-Translator": "clusterbase",
                "Plural-Forms": "nplurals=2; plural=(n != 1);",
            }
        )
        po.header = "Texts of clusterbase's annual reports."
        missing = []
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if entry.msgid_plural:
                forms = (
                    (entry.msgid, entry.msgid_plural)
                    if index is None
                    else PLURALS.get(entry.msgid, (None, None))[index]
                )
                if forms is None:
                    missing.append(entry.msgid)
                    continue
                entry.msgstr_plural = {0: forms[0], 1: forms[1]}
            elif index is None:
                entry.msgstr = entry.msgid
            elif (key := _key(entry)) in TEXTS:
                entry.msgstr = TEXTS[key][index]
            else:
                missing.append(entry.msgid)
        if missing:
            raise SystemExit(f"{language}: no translation for {missing}")
        po.save(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))


if __name__ == "__main__":
    main()

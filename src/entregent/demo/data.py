"""What the demo network is made of: real places and schools, and per industry (the codes of
`profiles.taxonomy`) a career ladder of job titles, skills, fields of study and company-name words.

A text written "masculine|feminine|English" is gendered in French; "French|English" is not;
a text without "|" reads the same in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass


def split_text(text: str, *, french: bool, feminine: bool = False) -> str:
    """Pick the French (masculine or feminine) or English form of a data text."""
    parts = text.split("|")
    if len(parts) == 1:
        return text
    if len(parts) == 2:
        return parts[0] if french else parts[1]
    return (parts[1] if feminine else parts[0]) if french else parts[2]


# --- Where members live ---------------------------------------------------------------------------
# Faker locale -> (country code, share of members, language code)
LOCALES: list[tuple[str, str, float, str]] = [
    ("fr_FR", "FR", 0.70, "fr"),
    ("en_GB", "GB", 0.07, "en"),
    ("de_DE", "DE", 0.06, "de"),
    ("es_ES", "ES", 0.05, "es"),
    ("it_IT", "IT", 0.05, "it"),
    ("nl_NL", "NL", 0.03, "nl"),
    ("pt_PT", "PT", 0.02, "pt"),
    ("fr_BE", "BE", 0.01, "fr"),
    ("fr_CH", "CH", 0.01, "fr"),
]

# country -> [(city, weight)], weights roughly by size of the professional population
CITIES: dict[str, list[tuple[str, float]]] = {
    "FR": [
        ("Paris", 30),
        ("Lyon", 8),
        ("Marseille", 4),
        ("Toulouse", 5),
        ("Bordeaux", 4),
        ("Lille", 4),
        ("Nantes", 4),
        ("Strasbourg", 2.5),
        ("Rennes", 3),
        ("Montpellier", 2.5),
        ("Nice", 2),
        ("Grenoble", 2),
        ("Aix-en-Provence", 1.5),
        ("Boulogne-Billancourt", 1.5),
        ("Courbevoie", 1.5),
        ("Issy-les-Moulineaux", 1),
        ("Neuilly-sur-Seine", 0.6),
        ("Versailles", 0.6),
        ("Rouen", 1),
        ("Tours", 1),
        ("Dijon", 0.8),
        ("Clermont-Ferrand", 0.8),
        ("Angers", 0.8),
        ("Reims", 0.7),
        ("Metz", 0.6),
        ("Nancy", 0.6),
        ("Orléans", 0.6),
        ("Caen", 0.6),
        ("Brest", 0.5),
        ("Le Mans", 0.4),
        ("Limoges", 0.4),
        ("Poitiers", 0.4),
        ("Pau", 0.4),
        ("Annecy", 0.5),
        ("La Rochelle", 0.4),
    ],
    "GB": [
        ("London", 12),
        ("Manchester", 2),
        ("Birmingham", 1.5),
        ("Edinburgh", 1.2),
        ("Bristol", 1),
        ("Leeds", 1),
        ("Cambridge", 0.6),
        ("Oxford", 0.5),
    ],
    "DE": [
        ("Berlin", 5),
        ("München", 4),
        ("Hamburg", 3),
        ("Frankfurt am Main", 3),
        ("Köln", 2),
        ("Stuttgart", 2),
        ("Düsseldorf", 1.5),
    ],
    "ES": [
        ("Madrid", 5),
        ("Barcelona", 5),
        ("Valencia", 1.5),
        ("Sevilla", 1),
        ("Bilbao", 1),
        ("Málaga", 0.8),
    ],
    "IT": [("Milano", 6), ("Roma", 4), ("Torino", 2), ("Bologna", 1.5), ("Firenze", 1), ("Napoli", 1)],
    "NL": [("Amsterdam", 5), ("Rotterdam", 2), ("Utrecht", 1.5), ("Den Haag", 1.2), ("Eindhoven", 1)],
    "PT": [("Lisboa", 5), ("Porto", 3), ("Braga", 0.8), ("Coimbra", 0.6)],
    "BE": [("Bruxelles", 6), ("Liège", 1.5), ("Namur", 1), ("Charleroi", 0.8), ("Mons", 0.5)],
    "CH": [("Genève", 4), ("Lausanne", 3), ("Neuchâtel", 0.8), ("Fribourg", 0.8)],
}
# Locales whose Faker cities are real places: a few members live there, outside the big cities.
FAKER_CITY_LOCALES = {"de_DE", "es_ES", "pt_PT", "nl_NL"}

# Share of foreign members who work in France (European mobility) instead of their own country.
EXPAT_TO_FRANCE = 0.25

# --- Schools --------------------------------------------------------------------------------------
# (name, city, country, kind)
SCHOOLS: list[tuple[str, str, str, str]] = [
    ("École polytechnique", "Palaiseau", "FR", "engineering"),
    ("CentraleSupélec", "Gif-sur-Yvette", "FR", "engineering"),
    ("INSA Lyon", "Villeurbanne", "FR", "engineering"),
    ("Mines Paris – PSL", "Paris", "FR", "engineering"),
    ("École Centrale de Nantes", "Nantes", "FR", "engineering"),
    ("Télécom Paris", "Palaiseau", "FR", "engineering"),
    ("Grenoble INP – Ensimag", "Grenoble", "FR", "engineering"),
    ("EPITA", "Le Kremlin-Bicêtre", "FR", "engineering"),
    ("ISAE-SUPAERO", "Toulouse", "FR", "engineering"),
    ("Université de technologie de Compiègne", "Compiègne", "FR", "engineering"),
    ("Arts et Métiers", "Paris", "FR", "engineering"),
    ("IMT Atlantique", "Brest", "FR", "engineering"),
    ("HEC Paris", "Jouy-en-Josas", "FR", "business"),
    ("ESSEC Business School", "Cergy", "FR", "business"),
    ("ESCP Business School", "Paris", "FR", "business"),
    ("emlyon business school", "Écully", "FR", "business"),
    ("EDHEC Business School", "Lille", "FR", "business"),
    ("KEDGE Business School", "Marseille", "FR", "business"),
    ("NEOMA Business School", "Reims", "FR", "business"),
    ("Audencia", "Nantes", "FR", "business"),
    ("TBS Education", "Toulouse", "FR", "business"),
    ("Grenoble École de Management", "Grenoble", "FR", "business"),
    ("IÉSEG School of Management", "Lille", "FR", "business"),
    ("Sciences Po", "Paris", "FR", "political"),
    ("Sorbonne Université", "Paris", "FR", "university"),
    ("Université Paris Cité", "Paris", "FR", "university"),
    ("Université Paris-Saclay", "Orsay", "FR", "university"),
    ("Université Paris 1 Panthéon-Sorbonne", "Paris", "FR", "university"),
    ("Université Claude Bernard Lyon 1", "Lyon", "FR", "university"),
    ("Université de Bordeaux", "Bordeaux", "FR", "university"),
    ("Aix-Marseille Université", "Marseille", "FR", "university"),
    ("Université de Strasbourg", "Strasbourg", "FR", "university"),
    ("Université de Lille", "Lille", "FR", "university"),
    ("Université de Montpellier", "Montpellier", "FR", "university"),
    ("Université Toulouse Capitole", "Toulouse", "FR", "university"),
    ("Université de Rennes", "Rennes", "FR", "university"),
    ("Nantes Université", "Nantes", "FR", "university"),
    ("Université Grenoble Alpes", "Grenoble", "FR", "university"),
    ("Strate École de design", "Sèvres", "FR", "design"),
    ("ENSCI – Les Ateliers", "Paris", "FR", "design"),
    ("Institut Paul Bocuse", "Écully", "FR", "hospitality"),
    ("London School of Economics", "London", "GB", "university"),
    ("Imperial College London", "London", "GB", "engineering"),
    ("The University of Manchester", "Manchester", "GB", "university"),
    ("University of Edinburgh", "Edinburgh", "GB", "university"),
    ("Technische Universität München", "München", "DE", "engineering"),
    ("Humboldt-Universität zu Berlin", "Berlin", "DE", "university"),
    ("Goethe-Universität Frankfurt", "Frankfurt am Main", "DE", "university"),
    ("Universidad Complutense de Madrid", "Madrid", "ES", "university"),
    ("IE Business School", "Madrid", "ES", "business"),
    ("Universitat de Barcelona", "Barcelona", "ES", "university"),
    ("Politecnico di Milano", "Milano", "IT", "engineering"),
    ("Università Bocconi", "Milano", "IT", "business"),
    ("Sapienza Università di Roma", "Roma", "IT", "university"),
    ("Universiteit van Amsterdam", "Amsterdam", "NL", "university"),
    ("TU Delft", "Delft", "NL", "engineering"),
    ("Universidade de Lisboa", "Lisboa", "PT", "university"),
    ("Nova School of Business and Economics", "Lisboa", "PT", "business"),
    ("Université libre de Bruxelles", "Bruxelles", "BE", "university"),
    ("EPFL", "Lausanne", "CH", "engineering"),
    ("Université de Genève", "Genève", "CH", "university"),
]

# kind -> degrees (French schools | schools elsewhere use the English side)
DEGREES: dict[str, list[str]] = {
    "engineering": [
        "Diplôme d'ingénieur|Master of Engineering",
        "Diplôme d'ingénieur|Master of Engineering",
        "Master|Master's degree",
        "Mastère spécialisé|Specialised Master",
        "Doctorat|PhD",
    ],
    "business": [
        "Programme Grande École (Master)|Master in Management",
        "Programme Grande École (Master)|Master in Management",
        "MSc|MSc",
        "Bachelor|Bachelor's degree",
        "Executive MBA|Executive MBA",
    ],
    "university": [
        "Master|Master's degree",
        "Master|Master's degree",
        "Licence|Bachelor's degree",
        "Licence professionnelle|Professional bachelor's degree",
        "BUT|Bachelor of Technology",
        "Doctorat|PhD",
    ],
    "political": ["Master|Master's degree", "Master|Master's degree", "Bachelor|Bachelor's degree"],
    "design": ["Diplôme de designer (Master)|Master of Design", "Bachelor Design|Bachelor of Design"],
    "hospitality": ["Bachelor Management hôtelier|Bachelor in Hospitality Management", "MSc|MSc"],
}

# --- Industries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Industry:
    weight: float
    # five levels, from first job to executive; each a tuple of titles
    titles: tuple[tuple[str, ...], ...]
    skills: tuple[str, ...]
    fields: tuple[str, ...]  # fields of study
    company_words: tuple[str, ...]  # words in company names ("Conseil", "Logistique"…)
    school_kinds: tuple[str, ...]
    topic: str  # what the work is about, for about texts: "French|English"


INDUSTRIES: dict[str, Industry] = {
    "software": Industry(
        10,
        (
            (
                "Développeur junior|Développeuse junior|Junior Developer",
                "Ingénieur logiciel|Ingénieure logicielle|Software Engineer",
            ),
            (
                "Développeur full-stack|Développeuse full-stack|Full-Stack Developer",
                "Ingénieur backend|Ingénieure backend|Backend Engineer",
                "Développeur front-end|Développeuse front-end|Front-End Developer",
            ),
            (
                "Développeur senior|Développeuse senior|Senior Software Engineer",
                "Ingénieur DevOps|Ingénieure DevOps|DevOps Engineer",
                "Product Owner",
            ),
            (
                "Lead développeur|Lead développeuse|Lead Developer",
                "Architecte logiciel|Software Architect",
                "Product Manager",
                "Staff Engineer",
            ),
            (
                "Engineering Manager",
                "Directeur technique (CTO)|Directrice technique (CTO)|Chief Technology Officer",
                "Head of Product",
                "VP Engineering",
            ),
        ),
        (
            "Python",
            "Django",
            "JavaScript",
            "TypeScript",
            "React",
            "Java",
            "Go",
            "PostgreSQL",
            "Docker",
            "Kubernetes",
            "AWS",
            "Architecture logicielle|Software architecture",
            "Tests automatisés|Test automation",
            "Méthodes agiles|Agile methodologies",
            "Scrum",
            "CI/CD",
            "API REST|REST APIs",
            "Git",
            "Gestion de produit|Product management",
        ),
        (
            "Informatique|Computer science",
            "Génie logiciel|Software engineering",
            "Mathématiques appliquées|Applied mathematics",
        ),
        ("Software", "Tech", "Labs", "Digital", "Systems", "Cloud"),
        ("engineering", "university"),
        "le développement logiciel|software development",
    ),
    "it_services": Industry(
        8,
        (
            (
                "Technicien support|Technicienne support|IT Support Technician",
                "Administrateur systèmes junior|Administratrice systèmes junior|Junior Systems Administrator",
            ),
            (
                "Administrateur systèmes et réseaux|Administratrice systèmes et réseaux|Systems and Network Administrator",
                "Consultant IT|Consultante IT|IT Consultant",
            ),
            (
                "Ingénieur cloud|Ingénieure cloud|Cloud Engineer",
                "Analyste cybersécurité|Cybersecurity Analyst",
                "Consultant SAP|Consultante SAP|SAP Consultant",
            ),
            (
                "Chef de projet IT|Cheffe de projet IT|IT Project Manager",
                "Architecte infrastructure|Infrastructure Architect",
                "Responsable sécurité (RSSI)|Chief Information Security Officer",
            ),
            (
                "Directeur des systèmes d'information|Directrice des systèmes d'information|Chief Information Officer",
                "Directeur de practice|Directrice de practice|Practice Director",
            ),
        ),
        (
            "Linux",
            "Windows Server",
            "Azure",
            "AWS",
            "VMware",
            "Cybersécurité|Cybersecurity",
            "ITIL",
            "Réseaux|Networking",
            "Active Directory",
            "Terraform",
            "ServiceNow",
            "SAP",
            "Gestion de projet|Project management",
            "ISO 27001",
            "Cisco",
            "Support utilisateurs|User support",
        ),
        (
            "Informatique|Computer science",
            "Réseaux et télécommunications|Networks and telecommunications",
            "Systèmes d'information|Information systems",
        ),
        ("Informatique", "IT", "Services", "Solutions", "Cyber", "Infogérance"),
        ("engineering", "university"),
        "les systèmes d'information|IT infrastructure",
    ),
    "consulting": Industry(
        7,
        (
            ("Consultant junior|Consultante junior|Junior Consultant", "Analyste|Business Analyst"),
            (
                "Consultant|Consultante|Consultant",
                "Consultant en transformation|Consultante en transformation|Transformation Consultant",
            ),
            (
                "Consultant senior|Consultante senior|Senior Consultant",
                "Manager",
                "Chef de mission|Cheffe de mission|Engagement Manager",
            ),
            ("Senior Manager", "Directeur de mission|Directrice de mission|Engagement Director"),
            ("Associé|Associée|Partner", "Directeur associé|Directrice associée|Managing Partner"),
        ),
        (
            "Stratégie d'entreprise|Business strategy",
            "Conduite du changement|Change management",
            "Gestion de projet|Project management",
            "Transformation digitale|Digital transformation",
            "Analyse financière|Financial analysis",
            "PowerPoint",
            "Excel",
            "Modélisation|Modelling",
            "Due diligence",
            "Lean management",
            "Pilotage de la performance|Performance management",
            "Animation d'ateliers|Workshop facilitation",
        ),
        ("Management|Management", "Stratégie|Strategy", "Économie|Economics", "Finance"),
        ("Conseil", "Consulting", "Partners", "Advisory", "& Associés"),
        ("business", "engineering", "political"),
        "le conseil en stratégie et en transformation|strategy and transformation consulting",
    ),
    "banking": Industry(
        5,
        (
            ("Conseiller clientèle|Conseillère clientèle|Customer Advisor", "Analyste crédit|Credit Analyst"),
            (
                "Chargé d'affaires entreprises|Chargée d'affaires entreprises|Relationship Manager",
                "Conseiller en patrimoine|Conseillère en patrimoine|Wealth Advisor",
            ),
            (
                "Directeur d'agence|Directrice d'agence|Branch Manager",
                "Analyste risques senior|Senior Risk Analyst",
            ),
            (
                "Directeur des risques|Directrice des risques|Head of Risk",
                "Responsable conformité|Head of Compliance",
            ),
            (
                "Directeur régional|Directrice régionale|Regional Director",
                "Directeur général adjoint|Directrice générale adjointe|Deputy CEO",
            ),
        ),
        (
            "Analyse crédit|Credit analysis",
            "Gestion des risques|Risk management",
            "Relation client|Customer relationship",
            "Conformité|Compliance",
            "KYC",
            "Bâle III|Basel III",
            "Financement des entreprises|Corporate lending",
            "Gestion de patrimoine|Wealth management",
            "Négociation|Negotiation",
            "Excel",
        ),
        ("Banque et finance|Banking and finance", "Économie|Economics", "Gestion|Management"),
        ("Banque", "Bank", "Crédit", "Finance"),
        ("business", "university"),
        "la banque et le financement des entreprises|banking and corporate lending",
    ),
    "financial_services": Industry(
        4,
        (
            (
                "Analyste financier|Analyste financière|Financial Analyst",
                "Assistant gérant|Assistante gérante|Junior Portfolio Analyst",
            ),
            (
                "Gérant de portefeuille|Gérante de portefeuille|Portfolio Manager",
                "Chargé d'investissement|Chargée d'investissement|Investment Associate",
            ),
            (
                "Analyste quantitatif|Analyste quantitative|Quantitative Analyst",
                "Directeur d'investissement|Directrice d'investissement|Investment Director",
            ),
            (
                "Responsable de la gestion|Head of Asset Management",
                "Directeur financier|Directrice financière|Chief Financial Officer",
            ),
            (
                "Associé gérant|Associée gérante|Managing Partner",
                "Directeur général|Directrice générale|Chief Executive Officer",
            ),
        ),
        (
            "Modélisation financière|Financial modelling",
            "Private equity",
            "Gestion d'actifs|Asset management",
            "Bloomberg",
            "Analyse financière|Financial analysis",
            "Python",
            "Valorisation|Valuation",
            "Marchés financiers|Financial markets",
            "Fintech",
            "Levée de fonds|Fundraising",
            "ESG",
        ),
        ("Finance", "Mathématiques financières|Financial mathematics", "Économie|Economics"),
        ("Capital", "Gestion", "Invest", "Asset Management", "Partners"),
        ("business", "engineering"),
        "l'investissement et la gestion d'actifs|investment and asset management",
    ),
    "retail": Industry(
        6,
        (
            (
                "Conseiller de vente|Conseillère de vente|Sales Associate",
                "Assistant chef de rayon|Assistante cheffe de rayon|Assistant Department Manager",
            ),
            (
                "Chef de rayon|Cheffe de rayon|Department Manager",
                "Chef de produit e-commerce|Cheffe de produit e-commerce|E-commerce Product Manager",
            ),
            (
                "Directeur de magasin|Directrice de magasin|Store Manager",
                "Acheteur|Acheteuse|Buyer",
                "Category Manager",
            ),
            (
                "Responsable régional|Responsable régionale|Area Manager",
                "Responsable e-commerce|Head of E-commerce",
            ),
            (
                "Directeur commercial|Directrice commerciale|Sales Director",
                "Directeur des opérations retail|Directrice des opérations retail|Retail Operations Director",
            ),
        ),
        (
            "Merchandising",
            "Gestion des stocks|Inventory management",
            "Management d'équipe|Team management",
            "E-commerce",
            "Relation client|Customer relationship",
            "Achats|Purchasing",
            "Négociation commerciale|Sales negotiation",
            "Vente|Sales",
            "Category management",
            "Omnicanal|Omnichannel",
            "Pilotage du chiffre d'affaires|Revenue management",
        ),
        ("Commerce|Business", "Marketing", "Gestion|Management"),
        ("Distribution", "Retail", "Store", "Commerce", "Market"),
        ("business", "university"),
        "le commerce et la distribution|retail",
    ),
    "healthcare": Industry(
        6,
        (
            ("Infirmier|Infirmière|Nurse", "Interne en médecine|Interne en médecine|Junior Doctor"),
            (
                "Infirmier de bloc opératoire|Infirmière de bloc opératoire|Theatre Nurse",
                "Médecin généraliste|General Practitioner",
            ),
            ("Cadre de santé|Nurse Manager", "Médecin urgentiste|Emergency Physician"),
            (
                "Directeur des soins|Directrice des soins|Director of Nursing",
                "Chef de service|Cheffe de service|Head of Department",
            ),
            (
                "Directeur d'hôpital|Directrice d'hôpital|Hospital Director",
                "Directeur médical|Directrice médicale|Medical Director",
            ),
        ),
        (
            "Soins infirmiers|Nursing",
            "Urgences|Emergency care",
            "Relation patient|Patient care",
            "Hygiène hospitalière|Infection control",
            "Gestion des lits|Bed management",
            "Éducation thérapeutique|Patient education",
            "Coordination des soins|Care coordination",
            "Dossier patient informatisé|Electronic health records",
            "Management d'équipe|Team management",
            "Qualité des soins|Quality of care",
        ),
        ("Soins infirmiers|Nursing", "Médecine|Medicine", "Santé publique|Public health"),
        ("Santé", "Clinique", "Médical", "Care"),
        ("university",),
        "la santé et le soin aux patients|health care",
    ),
    "education": Industry(
        5,
        (
            (
                "Professeur des écoles|Professeure des écoles|Primary School Teacher",
                "Formateur|Formatrice|Trainer",
            ),
            (
                "Professeur de mathématiques|Professeure de mathématiques|Mathematics Teacher",
                "Professeur d'anglais|Professeure d'anglais|English Teacher",
                "Ingénieur pédagogique|Ingénieure pédagogique|Instructional Designer",
            ),
            (
                "Maître de conférences|Maîtresse de conférences|Associate Professor",
                "Responsable formation|Head of Training",
                "Conseiller principal d'éducation|Conseillère principale d'éducation|Senior Education Advisor",
            ),
            (
                "Directeur d'école|Directrice d'école|Head Teacher",
                "Responsable pédagogique|Academic Director",
            ),
            ("Proviseur|Proviseure|Principal", "Directeur des études|Directrice des études|Dean of Studies"),
        ),
        (
            "Pédagogie|Teaching",
            "Ingénierie pédagogique|Instructional design",
            "Formation professionnelle|Vocational training",
            "E-learning",
            "Moodle",
            "Gestion de classe|Classroom management",
            "Évaluation|Assessment",
            "Tutorat|Tutoring",
            "Prise de parole en public|Public speaking",
            "Orientation scolaire|Career guidance",
        ),
        (
            "Sciences de l'éducation|Education",
            "Lettres modernes|Literature",
            "Mathématiques|Mathematics",
            "Langues étrangères|Modern languages",
        ),
        ("Formation", "Academy", "Learning", "École", "Campus"),
        ("university",),
        "l'enseignement et la formation|education and training",
    ),
    "manufacturing": Industry(
        5,
        (
            (
                "Technicien de production|Technicienne de production|Production Technician",
                "Technicien qualité|Technicienne qualité|Quality Technician",
            ),
            (
                "Ingénieur méthodes|Ingénieure méthodes|Process Engineer",
                "Ingénieur qualité|Ingénieure qualité|Quality Engineer",
                "Chef d'équipe production|Cheffe d'équipe production|Production Team Leader",
            ),
            (
                "Responsable de production|Production Manager",
                "Responsable amélioration continue|Continuous Improvement Manager",
            ),
            (
                "Directeur d'usine|Directrice d'usine|Plant Manager",
                "Responsable industrialisation|Head of Industrialisation",
            ),
            (
                "Directeur industriel|Directrice industrielle|Chief Operating Officer",
                "Directeur des opérations|Directrice des opérations|Operations Director",
            ),
        ),
        (
            "Lean manufacturing",
            "Six Sigma",
            "Amélioration continue|Continuous improvement",
            "ISO 9001",
            "Maintenance industrielle|Industrial maintenance",
            "AMDEC|FMEA",
            "Gestion de production|Production management",
            "SAP",
            "Automatismes|Automation",
            "Sécurité au travail|Workplace safety",
            "Management d'équipe|Team management",
        ),
        (
            "Génie industriel|Industrial engineering",
            "Génie mécanique|Mechanical engineering",
            "Génie des procédés|Process engineering",
        ),
        ("Industries", "Manufacturing", "Usinage", "Technologies", "Plastiques"),
        ("engineering", "university"),
        "l'industrie et la production|manufacturing",
    ),
    "advertising": Industry(
        5,
        (
            (
                "Assistant marketing|Assistante marketing|Marketing Assistant",
                "Chargé de communication|Chargée de communication|Communications Officer",
            ),
            (
                "Chef de projet digital|Cheffe de projet digital|Digital Project Manager",
                "Community manager",
                "Chargé de marketing|Chargée de marketing|Marketing Executive",
            ),
            (
                "Chef de produit marketing|Cheffe de produit marketing|Product Marketing Manager",
                "Responsable SEO|SEO Manager",
                "Growth Marketer",
            ),
            (
                "Responsable marketing|Marketing Manager",
                "Directeur de clientèle|Directrice de clientèle|Account Director",
                "Head of Growth",
            ),
            (
                "Directeur marketing|Directrice marketing|Chief Marketing Officer",
                "Directeur de la communication|Directrice de la communication|Communications Director",
            ),
        ),
        (
            "Marketing digital|Digital marketing",
            "SEO",
            "SEA",
            "Google Analytics",
            "Réseaux sociaux|Social media",
            "Stratégie de marque|Brand strategy",
            "Growth hacking",
            "Marketing automation",
            "HubSpot",
            "Copywriting",
            "Communication",
            "Gestion de campagne|Campaign management",
        ),
        ("Marketing", "Communication", "Information et communication|Media studies"),
        ("Agence", "Media", "Communication", "Studio", "Brand"),
        ("business", "university"),
        "le marketing et la communication|marketing and communications",
    ),
    "hr": Industry(
        3,
        (
            (
                "Assistant RH|Assistante RH|HR Assistant",
                "Chargé de recrutement|Chargée de recrutement|Recruiter",
            ),
            (
                "Chargé RH|Chargée RH|HR Officer",
                "Talent Acquisition Specialist",
                "Gestionnaire paie|Payroll Specialist",
            ),
            (
                "Responsable RH|HR Manager",
                "HR Business Partner",
                "Responsable recrutement|Talent Acquisition Manager",
            ),
            (
                "Responsable développement RH|Head of People Development",
                "Responsable relations sociales|Head of Employee Relations",
            ),
            (
                "Directeur des ressources humaines|Directrice des ressources humaines|Chief People Officer",
                "DRH groupe|Group HR Director",
            ),
        ),
        (
            "Recrutement|Recruitment",
            "Droit du travail|Employment law",
            "Paie|Payroll",
            "SIRH|HRIS",
            "Gestion des talents|Talent management",
            "Marque employeur|Employer branding",
            "Relations sociales|Employee relations",
            "GPEC|Workforce planning",
            "Onboarding",
            "Formation|Training",
            "Entretien annuel|Performance reviews",
        ),
        (
            "Ressources humaines|Human resources",
            "Psychologie du travail|Occupational psychology",
            "Droit social|Employment law",
        ),
        ("RH", "Talents", "Recrutement", "People", "Interim"),
        ("business", "university"),
        "les ressources humaines et le recrutement|human resources and recruitment",
    ),
    "legal": Industry(
        2,
        (
            (
                "Juriste junior|Junior Legal Counsel",
                "Avocat collaborateur|Avocate collaboratrice|Associate Lawyer",
            ),
            ("Juriste d'entreprise|Legal Counsel", "Avocat|Avocate|Lawyer"),
            (
                "Avocat senior|Avocate senior|Senior Associate",
                "Juriste senior|Senior Legal Counsel",
                "Compliance Officer",
            ),
            ("Responsable juridique|Head of Legal", "Counsel"),
            (
                "Avocat associé|Avocate associée|Partner",
                "Directeur juridique|Directrice juridique|General Counsel",
            ),
        ),
        (
            "Droit des affaires|Business law",
            "Droit des contrats|Contract law",
            "RGPD|GDPR",
            "Conformité|Compliance",
            "Contentieux|Litigation",
            "Droit social|Employment law",
            "Fusions-acquisitions|Mergers and acquisitions",
            "Propriété intellectuelle|Intellectual property",
            "Négociation|Negotiation",
            "Rédaction juridique|Legal writing",
        ),
        ("Droit des affaires|Business law", "Droit privé|Private law", "Droit public|Public law"),
        ("Avocats", "Legal", "& Associés", "Juris"),
        ("university", "political"),
        "le droit des affaires|business law",
    ),
    "accounting": Industry(
        3,
        (
            (
                "Assistant comptable|Assistante comptable|Accounting Assistant",
                "Auditeur junior|Auditrice junior|Junior Auditor",
            ),
            (
                "Comptable|Accountant",
                "Auditeur financier|Auditrice financière|Financial Auditor",
                "Contrôleur de gestion|Contrôleuse de gestion|Management Controller",
            ),
            (
                "Chef de mission audit|Cheffe de mission audit|Audit Manager",
                "Expert-comptable|Chartered Accountant",
                "Responsable comptable|Accounting Manager",
            ),
            (
                "Directeur administratif et financier|Directrice administrative et financière|Finance Director",
                "Responsable consolidation|Head of Consolidation",
            ),
            (
                "Associé expert-comptable|Associée expert-comptable|Audit Partner",
                "Directeur financier groupe|Directrice financière groupe|Group CFO",
            ),
        ),
        (
            "Comptabilité générale|General accounting",
            "Audit",
            "Fiscalité|Taxation",
            "Consolidation",
            "IFRS",
            "Contrôle de gestion|Management control",
            "Excel",
            "Sage",
            "Clôture des comptes|Financial closing",
            "Trésorerie|Treasury",
            "Reporting financier|Financial reporting",
        ),
        ("Comptabilité, contrôle, audit|Accounting and audit", "Finance", "Gestion|Management"),
        ("Audit", "Expertise", "Comptabilité", "& Associés", "Conseil"),
        ("business", "university"),
        "la comptabilité et l'audit|accounting and audit",
    ),
    "insurance": Industry(
        3,
        (
            (
                "Conseiller en assurance|Conseillère en assurance|Insurance Advisor",
                "Gestionnaire sinistres|Claims Handler",
            ),
            (
                "Souscripteur|Souscriptrice|Underwriter",
                "Chargé de clientèle entreprises|Chargée de clientèle entreprises|Commercial Account Manager",
            ),
            (
                "Actuaire|Actuary",
                "Souscripteur senior|Souscriptrice senior|Senior Underwriter",
                "Responsable indemnisation|Claims Manager",
            ),
            (
                "Responsable technique IARD|Head of Property and Casualty",
                "Directeur commercial assurance|Directrice commerciale assurance|Insurance Sales Director",
            ),
            (
                "Directeur général|Directrice générale|Chief Executive Officer",
                "Directeur technique|Directrice technique|Chief Underwriting Officer",
            ),
        ),
        (
            "Assurance IARD|Property and casualty insurance",
            "Actuariat|Actuarial science",
            "Gestion des sinistres|Claims management",
            "Souscription|Underwriting",
            "Solvabilité II|Solvency II",
            "Prévoyance|Employee benefits",
            "Relation client|Customer relationship",
            "Gestion des risques|Risk management",
            "Excel",
            "SAS",
        ),
        ("Actuariat|Actuarial science", "Assurance|Insurance", "Mathématiques|Mathematics"),
        ("Assurances", "Mutuelle", "Insurance", "Prévoyance"),
        ("business", "university"),
        "l'assurance|insurance",
    ),
    "logistics": Industry(
        4,
        (
            (
                "Agent logistique|Logistics Operative",
                "Assistant transport|Assistante transport|Transport Assistant",
            ),
            (
                "Affréteur|Affréteuse|Freight Forwarder",
                "Planificateur logistique|Planificatrice logistique|Logistics Planner",
                "Chef d'équipe entrepôt|Cheffe d'équipe entrepôt|Warehouse Team Leader",
            ),
            (
                "Responsable d'entrepôt|Warehouse Manager",
                "Supply Chain Analyst",
                "Responsable transport|Transport Manager",
            ),
            ("Responsable supply chain|Supply Chain Manager", "Responsable logistique|Head of Logistics"),
            (
                "Directeur supply chain|Directrice supply chain|Supply Chain Director",
                "Directeur des opérations logistiques|Directrice des opérations logistiques|Logistics Operations Director",
            ),
        ),
        (
            "Supply chain",
            "Gestion des stocks|Inventory management",
            "WMS",
            "Transport routier|Road transport",
            "Lean",
            "Planification|Planning",
            "SAP",
            "Douane|Customs",
            "Achats|Purchasing",
            "Management d'équipe|Team management",
            "Prévision de la demande|Demand forecasting",
        ),
        (
            "Logistique|Logistics",
            "Transport et logistique|Transport and logistics",
            "Génie industriel|Industrial engineering",
        ),
        ("Logistique", "Transports", "Logistics", "Freight", "Express"),
        ("business", "engineering", "university"),
        "la logistique et la supply chain|logistics and supply chain",
    ),
    "energy": Industry(
        3,
        (
            (
                "Technicien de maintenance|Technicienne de maintenance|Maintenance Technician",
                "Ingénieur d'études junior|Ingénieure d'études junior|Junior Design Engineer",
            ),
            (
                "Ingénieur d'études|Ingénieure d'études|Design Engineer",
                "Chargé d'affaires énergie|Chargée d'affaires énergie|Energy Account Manager",
            ),
            (
                "Chef de projet photovoltaïque|Cheffe de projet photovoltaïque|Solar Project Manager",
                "Ingénieur réseaux électriques|Ingénieure réseaux électriques|Power Systems Engineer",
            ),
            (
                "Responsable développement éolien|Head of Wind Development",
                "Responsable d'exploitation|Operations Manager",
            ),
            (
                "Directeur de la transition énergétique|Directrice de la transition énergétique|Energy Transition Director",
                "Directeur général|Directrice générale|Chief Executive Officer",
            ),
        ),
        (
            "Énergies renouvelables|Renewable energy",
            "Photovoltaïque|Solar energy",
            "Éolien|Wind energy",
            "Réseaux électriques|Power grids",
            "Efficacité énergétique|Energy efficiency",
            "Gestion de projet|Project management",
            "Stockage d'énergie|Energy storage",
            "Hydrogène|Hydrogen",
            "Réglementation énergétique|Energy regulation",
            "AutoCAD",
        ),
        ("Génie électrique|Electrical engineering", "Énergétique|Energy engineering", "Physique|Physics"),
        ("Énergies", "Energy", "Solaire", "Renouvelables", "Power"),
        ("engineering",),
        "l'énergie et les renouvelables|energy and renewables",
    ),
    "construction": Industry(
        3,
        (
            (
                "Conducteur de travaux junior|Conductrice de travaux junior|Assistant Site Manager",
                "Technicien bureau d'études|Technicienne bureau d'études|Design Office Technician",
            ),
            (
                "Conducteur de travaux|Conductrice de travaux|Site Manager",
                "Ingénieur structure|Ingénieure structure|Structural Engineer",
                "Économiste de la construction|Quantity Surveyor",
            ),
            (
                "Chef de projet construction|Cheffe de projet construction|Construction Project Manager",
                "Ingénieur travaux|Ingénieure travaux|Works Engineer",
            ),
            (
                "Directeur de travaux|Directrice de travaux|Construction Manager",
                "Responsable bureau d'études|Head of Design Office",
            ),
            (
                "Directeur d'agence|Directrice d'agence|Regional Director",
                "Directeur général|Directrice générale|Chief Executive Officer",
            ),
        ),
        (
            "Gestion de chantier|Site management",
            "BIM",
            "Revit",
            "AutoCAD",
            "Génie civil|Civil engineering",
            "Gros œuvre|Structural works",
            "Planification|Planning",
            "Sécurité chantier|Site safety",
            "Métrés|Quantity surveying",
            "Marchés publics|Public procurement",
        ),
        ("Génie civil|Civil engineering", "Bâtiment|Building engineering", "Travaux publics|Public works"),
        ("Construction", "Bâtiment", "BTP", "Travaux", "Génie Civil"),
        ("engineering", "university"),
        "la construction et les travaux publics|construction",
    ),
    "automotive": Industry(
        2,
        (
            (
                "Technicien essais|Technicienne essais|Test Technician",
                "Ingénieur junior|Ingénieure junior|Junior Engineer",
            ),
            (
                "Ingénieur calcul|Ingénieure calcul|Simulation Engineer",
                "Ingénieur systèmes embarqués|Ingénieure systèmes embarqués|Embedded Systems Engineer",
            ),
            (
                "Chef de projet véhicule|Cheffe de projet véhicule|Vehicle Project Manager",
                "Ingénieur batterie|Ingénieure batterie|Battery Engineer",
            ),
            ("Responsable programme|Programme Manager", "Responsable après-vente|Head of After-Sales"),
            (
                "Directeur R&D|Directrice R&D|R&D Director",
                "Directeur de plateforme|Directrice de plateforme|Platform Director",
            ),
        ),
        (
            "Systèmes embarqués|Embedded systems",
            "Véhicule électrique|Electric vehicles",
            "CATIA",
            "Matlab/Simulink",
            "AUTOSAR",
            "Gestion de projet|Project management",
            "Qualité automobile|Automotive quality",
            "Batteries",
            "ADAS",
            "Lean",
        ),
        (
            "Génie mécanique|Mechanical engineering",
            "Mécatronique|Mechatronics",
            "Systèmes embarqués|Embedded systems",
        ),
        ("Automotive", "Motors", "Mobility", "Équipements"),
        ("engineering",),
        "l'automobile et la mobilité électrique|automotive and electric mobility",
    ),
    "aerospace": Industry(
        2,
        (
            (
                "Technicien aéronautique|Technicienne aéronautique|Aircraft Technician",
                "Ingénieur junior|Ingénieure junior|Junior Engineer",
            ),
            (
                "Ingénieur structure|Ingénieure structure|Structural Engineer",
                "Ingénieur navigabilité|Ingénieure navigabilité|Airworthiness Engineer",
            ),
            (
                "Ingénieur systèmes|Ingénieure systèmes|Systems Engineer",
                "Chef de projet satellite|Cheffe de projet satellite|Satellite Project Manager",
            ),
            ("Responsable de programme|Programme Manager", "Responsable bureau d'études|Head of Engineering"),
            (
                "Directeur technique|Directrice technique|Chief Technical Officer",
                "Directeur de programme|Directrice de programme|Programme Director",
            ),
        ),
        (
            "Aéronautique|Aeronautics",
            "CATIA",
            "Ingénierie système|Systems engineering",
            "Navigabilité|Airworthiness",
            "Composites",
            "DO-178C",
            "Gestion de programme|Programme management",
            "Spatial|Space systems",
            "Calcul de structure|Structural analysis",
        ),
        (
            "Aéronautique et espace|Aerospace engineering",
            "Génie mécanique|Mechanical engineering",
            "Systèmes embarqués|Embedded systems",
        ),
        ("Aero", "Space", "Aéronautique", "Avionics"),
        ("engineering",),
        "l'aéronautique et le spatial|aerospace",
    ),
    "telecom": Industry(
        2,
        (
            (
                "Technicien fibre|Technicienne fibre|Fibre Technician",
                "Ingénieur réseau junior|Ingénieure réseau junior|Junior Network Engineer",
            ),
            (
                "Ingénieur radio|Ingénieure radio|RF Engineer",
                "Ingénieur réseau|Ingénieure réseau|Network Engineer",
            ),
            (
                "Architecte réseau|Network Architect",
                "Chef de projet déploiement|Cheffe de projet déploiement|Rollout Project Manager",
            ),
            (
                "Responsable des opérations réseau|Network Operations Manager",
                "Responsable offres entreprises|Head of Business Offers",
            ),
            (
                "Directeur technique|Directrice technique|Chief Technology Officer",
                "Directeur réseau|Directrice réseau|Network Director",
            ),
        ),
        (
            "5G",
            "Fibre optique|Fibre optics",
            "Réseaux IP|IP networks",
            "Radio",
            "VoIP",
            "SD-WAN",
            "Cisco",
            "Gestion de projet|Project management",
            "Linux",
        ),
        (
            "Télécommunications|Telecommunications",
            "Réseaux|Networks",
            "Génie électrique|Electrical engineering",
        ),
        ("Telecom", "Télécom", "Networks", "Fibre", "Connect"),
        ("engineering",),
        "les télécommunications|telecommunications",
    ),
    "pharmaceuticals": Industry(
        2,
        (
            (
                "Attaché de recherche clinique|Attachée de recherche clinique|Clinical Research Associate",
                "Technicien de laboratoire|Technicienne de laboratoire|Laboratory Technician",
            ),
            (
                "Chef de projet clinique|Cheffe de projet clinique|Clinical Project Manager",
                "Chargé d'affaires réglementaires|Chargée d'affaires réglementaires|Regulatory Affairs Officer",
                "Délégué médical|Déléguée médicale|Medical Sales Representative",
            ),
            (
                "Pharmacien responsable qualité|Pharmacienne responsable qualité|Quality Assurance Pharmacist",
                "Medical Science Liaison",
            ),
            (
                "Responsable affaires réglementaires|Head of Regulatory Affairs",
                "Directeur des opérations cliniques|Directrice des opérations cliniques|Clinical Operations Director",
            ),
            (
                "Directeur médical|Directrice médicale|Medical Director",
                "Directeur du site|Directrice du site|Site Director",
            ),
        ),
        (
            "Essais cliniques|Clinical trials",
            "Affaires réglementaires|Regulatory affairs",
            "BPF|GMP",
            "Pharmacovigilance",
            "Assurance qualité|Quality assurance",
            "Accès au marché|Market access",
            "Biostatistique|Biostatistics",
            "Validation",
            "ICH-GCP",
        ),
        ("Pharmacie|Pharmacy", "Biologie|Biology", "Chimie|Chemistry"),
        ("Pharma", "Laboratoires", "Therapeutics", "Santé"),
        ("university",),
        "l'industrie pharmaceutique|pharmaceuticals",
    ),
    "biotech": Industry(
        1,
        (
            (
                "Technicien de recherche|Technicienne de recherche|Research Technician",
                "Ingénieur d'études|Ingénieure d'études|Research Engineer",
            ),
            (
                "Chercheur en biologie|Chercheuse en biologie|Research Scientist",
                "Bioinformaticien|Bioinformaticienne|Bioinformatician",
            ),
            (
                "Scientifique senior|Senior Scientist",
                "Chef de projet R&D|Cheffe de projet R&D|R&D Project Manager",
            ),
            (
                "Responsable de laboratoire|Lab Manager",
                "Directeur scientifique adjoint|Directrice scientifique adjointe|Associate Director of Science",
            ),
            (
                "Directeur scientifique|Directrice scientifique|Chief Scientific Officer",
                "Cofondateur|Cofondatrice|Co-founder",
            ),
        ),
        (
            "Biologie moléculaire|Molecular biology",
            "CRISPR",
            "Culture cellulaire|Cell culture",
            "Bioinformatique|Bioinformatics",
            "Python",
            "R",
            "Génomique|Genomics",
            "qPCR",
            "Immunologie|Immunology",
        ),
        ("Biologie|Biology", "Biotechnologies|Biotechnology", "Biochimie|Biochemistry"),
        ("Bio", "Biotech", "Genomics", "Therapeutics"),
        ("university", "engineering"),
        "les biotechnologies|biotechnology",
    ),
    "research": Industry(
        2,
        (
            (
                "Doctorant|Doctorante|PhD Candidate",
                "Ingénieur de recherche|Ingénieure de recherche|Research Engineer",
            ),
            (
                "Chercheur postdoctoral|Chercheuse postdoctorale|Postdoctoral Researcher",
                "Chargé de recherche|Chargée de recherche|Research Fellow",
            ),
            ("Chercheur|Chercheuse|Researcher", "Data Scientist"),
            (
                "Directeur de recherche|Directrice de recherche|Research Director",
                "Responsable d'équipe de recherche|Research Group Leader",
            ),
            (
                "Directeur de laboratoire|Directrice de laboratoire|Laboratory Director",
                "Directeur scientifique|Directrice scientifique|Scientific Director",
            ),
        ),
        (
            "Recherche scientifique|Scientific research",
            "Python",
            "R",
            "Statistiques|Statistics",
            "Machine learning",
            "Rédaction scientifique|Scientific writing",
            "LaTeX",
            "Enseignement|Teaching",
            "Montage de projets européens|EU grant writing",
        ),
        (
            "Physique|Physics",
            "Mathématiques|Mathematics",
            "Informatique|Computer science",
            "Chimie|Chemistry",
        ),
        ("Institut", "Research", "Lab", "Recherche"),
        ("university", "engineering"),
        "la recherche scientifique|scientific research",
    ),
    "government": Industry(
        3,
        (
            (
                "Attaché d'administration|Attachée d'administration|Administrative Officer",
                "Chargé de mission|Chargée de mission|Policy Officer",
            ),
            (
                "Chef de bureau|Cheffe de bureau|Head of Unit",
                "Chargé d'études|Chargée d'études|Policy Analyst",
            ),
            (
                "Directeur de cabinet|Directrice de cabinet|Chief of Staff",
                "Responsable des marchés publics|Head of Public Procurement",
            ),
            (
                "Directeur général des services|Directrice générale des services|Chief Executive (Local Authority)",
                "Sous-directeur|Sous-directrice|Deputy Director",
            ),
            (
                "Directeur d'administration centrale|Directrice d'administration centrale|Director General",
                "Préfet|Préfète|Prefect",
            ),
        ),
        (
            "Politiques publiques|Public policy",
            "Marchés publics|Public procurement",
            "Finances publiques|Public finance",
            "Droit public|Public law",
            "Management public|Public management",
            "Rédaction administrative|Administrative writing",
            "Gestion de projet|Project management",
        ),
        (
            "Droit public|Public law",
            "Administration publique|Public administration",
            "Science politique|Political science",
        ),
        ("Agence", "Métropole", "Conseil départemental", "Office"),
        ("political", "university"),
        "l'action publique|public service",
    ),
    "nonprofit": Industry(
        1.5,
        (
            (
                "Chargé de mission associatif|Chargée de mission associative|Programme Officer",
                "Animateur|Animatrice|Community Worker",
            ),
            (
                "Coordinateur de projets|Coordinatrice de projets|Project Coordinator",
                "Chargé de collecte|Chargée de collecte|Fundraising Officer",
            ),
            (
                "Responsable des partenariats|Partnerships Manager",
                "Responsable de programme|Programme Manager",
            ),
            (
                "Directeur des programmes|Directrice des programmes|Programme Director",
                "Responsable de la collecte|Head of Fundraising",
            ),
            (
                "Délégué général|Déléguée générale|Executive Director",
                "Directeur général|Directrice générale|Chief Executive Officer",
            ),
        ),
        (
            "Collecte de fonds|Fundraising",
            "Gestion de projet|Project management",
            "Animation de bénévoles|Volunteer management",
            "Plaidoyer|Advocacy",
            "Partenariats|Partnerships",
            "Économie sociale et solidaire|Social economy",
            "Communication",
        ),
        (
            "Sciences politiques|Political science",
            "Économie sociale et solidaire|Social economy",
            "Développement international|International development",
        ),
        ("Association", "Fondation", "Solidarité", "Initiative"),
        ("political", "university"),
        "l'économie sociale et solidaire|the non-profit sector",
    ),
    "real_estate": Industry(
        2,
        (
            (
                "Négociateur immobilier|Négociatrice immobilière|Real Estate Negotiator",
                "Assistant gestion locative|Assistante gestion locative|Lettings Assistant",
            ),
            (
                "Agent immobilier|Agente immobilière|Estate Agent",
                "Gestionnaire de copropriété|Property Manager",
            ),
            (
                "Asset manager immobilier|Real Estate Asset Manager",
                "Responsable de programmes|Development Manager",
            ),
            (
                "Directeur d'agence immobilière|Directrice d'agence immobilière|Agency Director",
                "Responsable investissement|Head of Investment",
            ),
            (
                "Directeur de la promotion|Directrice de la promotion|Head of Development",
                "Directeur général|Directrice générale|Chief Executive Officer",
            ),
        ),
        (
            "Transaction immobilière|Property transactions",
            "Gestion locative|Lettings management",
            "Promotion immobilière|Property development",
            "Négociation|Negotiation",
            "Droit immobilier|Property law",
            "Asset management",
            "Estimation immobilière|Property valuation",
        ),
        ("Immobilier|Real estate", "Droit immobilier|Property law", "Urbanisme|Urban planning"),
        ("Immobilier", "Foncière", "Habitat", "Properties", "Promotion"),
        ("business", "university"),
        "l'immobilier|real estate",
    ),
    "hospitality": Industry(
        2,
        (
            ("Réceptionniste|Receptionist", "Commis de cuisine|Commis Chef"),
            (
                "Chef de réception|Cheffe de réception|Front Office Manager",
                "Chef de partie|Cheffe de partie|Chef de Partie",
                "Conseiller voyages|Conseillère voyages|Travel Consultant",
            ),
            (
                "Responsable hébergement|Rooms Division Manager",
                "Chef de cuisine|Cheffe de cuisine|Head Chef",
                "Revenue Manager",
            ),
            (
                "Directeur d'hôtel|Directrice d'hôtel|Hotel Manager",
                "Directeur de la restauration|Directrice de la restauration|Food and Beverage Director",
            ),
            (
                "Directeur des opérations hôtelières|Directrice des opérations hôtelières|Director of Hotel Operations",
                "Directeur général|Directrice générale|General Manager",
            ),
        ),
        (
            "Hôtellerie|Hospitality",
            "Revenue management",
            "Service client|Customer service",
            "Opera PMS",
            "Management d'équipe|Team management",
            "Tourisme|Tourism",
            "Événementiel|Events",
            "Anglais professionnel|Business English",
        ),
        ("Management hôtelier|Hospitality management", "Tourisme|Tourism"),
        ("Hôtels", "Hospitality", "Voyages", "Resorts"),
        ("hospitality", "business"),
        "l'hôtellerie et le tourisme|hospitality and tourism",
    ),
    "food": Industry(
        2.5,
        (
            (
                "Technicien qualité agroalimentaire|Technicienne qualité agroalimentaire|Food Quality Technician",
                "Commercial terrain|Commerciale terrain|Field Sales Representative",
            ),
            (
                "Ingénieur R&D agroalimentaire|Ingénieure R&D agroalimentaire|Food R&D Engineer",
                "Chef de produit|Cheffe de produit|Product Manager",
                "Responsable qualité|Quality Manager",
            ),
            ("Responsable de production|Production Manager", "Key Account Manager"),
            (
                "Directeur de site|Directrice de site|Site Director",
                "Directeur marketing|Directrice marketing|Marketing Director",
            ),
            (
                "Directeur général|Directrice générale|Chief Executive Officer",
                "Directeur commercial France|Directrice commerciale France|Sales Director France",
            ),
        ),
        (
            "Sécurité alimentaire|Food safety",
            "HACCP",
            "IFS",
            "Agroalimentaire|Food industry",
            "Développement produit|Product development",
            "Grande distribution|Mass retail",
            "Négociation commerciale|Sales negotiation",
            "Qualité|Quality",
        ),
        ("Agroalimentaire|Food science", "Biologie|Biology", "Commerce|Business"),
        ("Alimentaire", "Foods", "Saveurs", "Boulangerie", "Fromagerie"),
        ("engineering", "business", "university"),
        "l'agroalimentaire|the food industry",
    ),
    "consumer_goods": Industry(
        2,
        (
            (
                "Assistant chef de produit|Assistante cheffe de produit|Assistant Brand Manager",
                "Commercial|Commerciale|Sales Representative",
            ),
            (
                "Chef de produit|Cheffe de produit|Brand Manager",
                "Key Account Manager",
                "Trade Marketing Manager",
            ),
            (
                "Chef de groupe marketing|Cheffe de groupe marketing|Senior Brand Manager",
                "Responsable grands comptes|National Account Manager",
            ),
            (
                "Directeur marketing|Directrice marketing|Marketing Director",
                "Directeur des ventes|Directrice des ventes|Head of Sales",
            ),
            (
                "Directeur général France|Directrice générale France|Country Manager France",
                "Directeur commercial|Directrice commerciale|Chief Commercial Officer",
            ),
        ),
        (
            "Marketing produit|Product marketing",
            "Trade marketing",
            "Gestion de marque|Brand management",
            "Grande distribution|Mass retail",
            "Négociation|Negotiation",
            "Études consommateurs|Consumer insights",
            "Cosmétique|Cosmetics",
            "Nielsen",
        ),
        ("Marketing", "Commerce|Business", "Chimie|Chemistry"),
        ("Cosmétiques", "Brands", "Consumer", "Maison", "Beauté"),
        ("business",),
        "les produits de grande consommation|consumer goods",
    ),
    "luxury": Industry(
        1.5,
        (
            (
                "Conseiller de vente luxe|Conseillère de vente luxe|Client Advisor",
                "Assistant merchandising|Assistante merchandising|Merchandising Assistant",
            ),
            (
                "Chef de produit maroquinerie|Cheffe de produit maroquinerie|Leather Goods Product Manager",
                "Visual merchandiser",
                "Responsable client|Client Relationship Manager",
            ),
            (
                "Directeur de boutique|Directrice de boutique|Boutique Director",
                "Chef de collection|Cheffe de collection|Collection Manager",
            ),
            (
                "Responsable retail Europe|Head of Retail Europe",
                "Directeur artistique|Directrice artistique|Art Director",
            ),
            (
                "Directeur de la marque|Directrice de la marque|Brand Director",
                "Directeur général|Directrice générale|President and CEO",
            ),
        ),
        (
            "Luxe|Luxury",
            "Clienteling",
            "Merchandising visuel|Visual merchandising",
            "Mode|Fashion",
            "Joaillerie|Jewellery",
            "Relation client|Customer relationship",
            "Retail",
            "Anglais|English",
            "Développement de collection|Collection development",
        ),
        ("Management du luxe|Luxury management", "Mode|Fashion design", "Marketing"),
        ("Maison", "Paris", "Joaillerie", "Couture"),
        ("business", "design"),
        "le luxe et la mode|luxury and fashion",
    ),
    "design": Industry(
        1.5,
        (
            ("Designer graphique junior|Junior Graphic Designer", "UX designer junior|Junior UX Designer"),
            ("UX/UI designer", "Designer graphique|Graphic Designer", "Motion designer"),
            (
                "Product designer senior|Senior Product Designer",
                "Directeur artistique|Directrice artistique|Art Director",
            ),
            ("Lead designer", "Design manager"),
            ("Directeur de création|Directrice de création|Creative Director", "Head of Design"),
        ),
        (
            "Figma",
            "UX design",
            "UI design",
            "Adobe Illustrator",
            "Adobe Photoshop",
            "Design system",
            "Recherche utilisateur|User research",
            "Prototypage|Prototyping",
            "Accessibilité|Accessibility",
            "Typographie|Typography",
            "Motion design",
        ),
        (
            "Design graphique|Graphic design",
            "Design d'interaction|Interaction design",
            "Arts appliqués|Applied arts",
        ),
        ("Studio", "Design", "Créations", "Atelier"),
        ("design",),
        "le design|design",
    ),
    "entertainment": Industry(
        1.5,
        (
            (
                "Assistant de production|Assistante de production|Production Assistant",
                "Journaliste pigiste|Freelance Journalist",
            ),
            (
                "Chargé de production|Chargée de production|Production Coordinator",
                "Journaliste|Journalist",
                "Monteur vidéo|Monteuse vidéo|Video Editor",
            ),
            (
                "Producteur|Productrice|Producer",
                "Rédacteur en chef adjoint|Rédactrice en cheffe adjointe|Deputy Editor",
            ),
            (
                "Rédacteur en chef|Rédactrice en cheffe|Editor-in-Chief",
                "Directeur des programmes|Directrice des programmes|Head of Programming",
            ),
            (
                "Directeur général|Directrice générale|Chief Executive Officer",
                "Producteur exécutif|Productrice exécutive|Executive Producer",
            ),
        ),
        (
            "Production audiovisuelle|Video production",
            "Journalisme|Journalism",
            "Montage vidéo|Video editing",
            "Adobe Premiere",
            "Écriture|Writing",
            "Podcast",
            "Réseaux sociaux|Social media",
            "Droits d'auteur|Copyright",
        ),
        (
            "Journalisme|Journalism",
            "Cinéma et audiovisuel|Film studies",
            "Information et communication|Media studies",
        ),
        ("Productions", "Média", "Films", "Studios", "Records"),
        ("university", "political"),
        "les médias et la production|media and production",
    ),
    "environment": Industry(
        1.5,
        (
            (
                "Chargé d'études environnement|Chargée d'études environnement|Environmental Analyst",
                "Technicien environnement|Technicienne environnement|Environmental Technician",
            ),
            (
                "Consultant RSE|Consultante RSE|CSR Consultant",
                "Ingénieur environnement|Ingénieure environnement|Environmental Engineer",
            ),
            (
                "Responsable RSE|CSR Manager",
                "Chef de projet bilan carbone|Cheffe de projet bilan carbone|Carbon Accounting Lead",
            ),
            (
                "Directeur RSE|Directrice RSE|Head of Sustainability",
                "Responsable économie circulaire|Circular Economy Lead",
            ),
            (
                "Directeur du développement durable|Directrice du développement durable|Chief Sustainability Officer",
                "Cofondateur|Cofondatrice|Co-founder",
            ),
        ),
        (
            "Bilan carbone|Carbon accounting",
            "RSE|CSR",
            "Analyse du cycle de vie|Life cycle assessment",
            "Économie circulaire|Circular economy",
            "Gestion des déchets|Waste management",
            "Biodiversité|Biodiversity",
            "CSRD",
            "Reporting extra-financier|Sustainability reporting",
        ),
        (
            "Sciences de l'environnement|Environmental science",
            "Écologie|Ecology",
            "Génie de l'environnement|Environmental engineering",
        ),
        ("Environnement", "Climat", "Durable", "Impact", "Green"),
        ("engineering", "university"),
        "l'environnement et la transition écologique|sustainability",
    ),
    "agriculture": Industry(
        1,
        (
            (
                "Technicien agricole|Technicienne agricole|Agricultural Technician",
                "Ouvrier viticole|Ouvrière viticole|Vineyard Worker",
            ),
            (
                "Conseiller agricole|Conseillère agricole|Agricultural Advisor",
                "Chef de culture|Cheffe de culture|Crop Manager",
            ),
            ("Ingénieur agronome|Ingénieure agronome|Agronomist", "Responsable d'exploitation|Farm Manager"),
            ("Maître de chai|Cellar Master", "Responsable de coopérative|Cooperative Manager"),
            (
                "Exploitant agricole|Exploitante agricole|Farm Owner",
                "Directeur général|Directrice générale|Chief Executive Officer",
            ),
        ),
        (
            "Agronomie|Agronomy",
            "Viticulture",
            "Agriculture biologique|Organic farming",
            "Élevage|Livestock",
            "Machinisme agricole|Farm machinery",
            "Gestion d'exploitation|Farm management",
            "PAC|Common Agricultural Policy",
        ),
        ("Agronomie|Agronomy", "Viticulture-œnologie|Viticulture and oenology"),
        ("Coopérative", "Domaine", "Agri", "Vignobles"),
        ("engineering", "university"),
        "l'agriculture et la viticulture|agriculture",
    ),
    "architecture": Industry(
        1,
        (
            (
                "Architecte junior|Junior Architect",
                "Dessinateur projeteur|Dessinatrice projeteuse|Architectural Technician",
            ),
            ("Architecte|Architect", "Urbaniste|Urban Planner"),
            (
                "Chef de projet architecture|Cheffe de projet architecture|Project Architect",
                "Architecte d'intérieur|Interior Architect",
            ),
            (
                "Architecte associé|Architecte associée|Associate Architect",
                "Directeur de projets urbains|Directrice de projets urbains|Urban Projects Director",
            ),
            (
                "Architecte fondateur|Architecte fondatrice|Founding Architect",
                "Directeur d'agence|Directrice d'agence|Practice Director",
            ),
        ),
        (
            "Architecture",
            "Revit",
            "AutoCAD",
            "SketchUp",
            "BIM",
            "Urbanisme|Urban planning",
            "Réhabilitation|Renovation",
            "Permis de construire|Planning permission",
        ),
        ("Architecture", "Urbanisme|Urban planning"),
        ("Architectes", "Architecture", "Atelier", "Urbanisme"),
        ("university", "design"),
        "l'architecture et l'urbanisme|architecture and urban planning",
    ),
    "sports": Industry(
        0.8,
        (
            (
                "Éducateur sportif|Éducatrice sportive|Sports Instructor",
                "Coach sportif|Coach sportive|Personal Trainer",
            ),
            (
                "Préparateur physique|Préparatrice physique|Strength and Conditioning Coach",
                "Chargé de partenariats sportifs|Chargée de partenariats sportifs|Sports Partnerships Officer",
            ),
            ("Entraîneur|Entraîneuse|Coach", "Responsable événements sportifs|Sports Events Manager"),
            (
                "Directeur sportif|Directrice sportive|Sporting Director",
                "Responsable marketing sportif|Head of Sports Marketing",
            ),
            (
                "Directeur général du club|Directrice générale du club|Club Chief Executive",
                "Manager général|General Manager",
            ),
        ),
        (
            "Préparation physique|Strength and conditioning",
            "Coaching",
            "Marketing sportif|Sports marketing",
            "Événementiel sportif|Sports events",
            "Nutrition",
            "Management d'équipe|Team management",
        ),
        ("STAPS|Sports science", "Management du sport|Sports management"),
        ("Sport", "Club", "Athletic", "Fitness"),
        ("university",),
        "le sport|sport",
    ),
    "wholesale": Industry(
        1,
        (
            (
                "Assistant import-export|Assistante import-export|Import-Export Assistant",
                "Commercial sédentaire|Commerciale sédentaire|Inside Sales Representative",
            ),
            (
                "Acheteur international|Acheteuse internationale|International Buyer",
                "Commercial grands comptes|Commerciale grands comptes|Key Account Manager",
            ),
            ("Responsable import-export|Import-Export Manager", "Responsable achats|Purchasing Manager"),
            (
                "Directeur commercial|Directrice commerciale|Sales Director",
                "Directeur des achats|Directrice des achats|Chief Procurement Officer",
            ),
            ("Directeur général|Directrice générale|Chief Executive Officer", "Fondateur|Fondatrice|Founder"),
        ),
        (
            "Import-export",
            "Négoce|Trading",
            "Achats|Purchasing",
            "Incoterms",
            "Douane|Customs",
            "Négociation|Negotiation",
            "Commerce international|International trade",
            "Anglais|English",
        ),
        ("Commerce international|International trade", "Commerce|Business"),
        ("Négoce", "Trading", "Distribution", "International", "Import"),
        ("business", "university"),
        "le négoce et le commerce international|wholesale and international trade",
    ),
}


GENERIC_SKILLS = (
    "Gestion de projet|Project management",
    "Management d'équipe|Team management",
    "Communication",
    "Leadership",
    "Microsoft Excel",
    "Microsoft Office",
    "Prise de parole en public|Public speaking",
    "Négociation|Negotiation",
    "Travail en équipe|Teamwork",
    "Résolution de problèmes|Problem solving",
    "Gestion du temps|Time management",
    "Esprit d'analyse|Analytical skills",
)

# name "French|English" by language code of a locale
LANGUAGE_NAMES: dict[str, str] = {
    "fr": "Français|French",
    "en": "Anglais|English",
    "de": "Allemand|German",
    "es": "Espagnol|Spanish",
    "it": "Italien|Italian",
    "nl": "Néerlandais|Dutch",
    "pt": "Portugais|Portuguese",
    "zh": "Chinois (mandarin)|Mandarin Chinese",
    "ar": "Arabe|Arabic",
    "ja": "Japonais|Japanese",
}

CERTIFICATIONS: dict[str, list[tuple[str, str]]] = {
    "software": [
        ("AWS Certified Solutions Architect – Associate", "Amazon Web Services"),
        ("Certified Kubernetes Administrator", "The Linux Foundation"),
        ("Professional Scrum Master I", "Scrum.org"),
    ],
    "it_services": [
        ("ITIL 4 Foundation", "PeopleCert"),
        ("Microsoft Certified: Azure Administrator Associate", "Microsoft"),
        ("CISSP", "ISC2"),
    ],
    "consulting": [("PMP", "Project Management Institute"), ("Lean Six Sigma Green Belt", "IASSC")],
    "financial_services": [
        ("CFA Level I", "CFA Institute"),
        ("Certification AMF|AMF certification", "Autorité des marchés financiers"),
    ],
    "banking": [("Certification AMF|AMF certification", "Autorité des marchés financiers")],
    "advertising": [
        ("Google Ads Search Certification", "Google"),
        ("HubSpot Inbound Marketing", "HubSpot Academy"),
    ],
    "manufacturing": [("Lean Six Sigma Green Belt", "IASSC")],
    "logistics": [("APICS CSCP", "ASCM")],
    "design": [("Google UX Design Certificate", "Google")],
    "hr": [("Certification Process Com|Process Communication certification", "Kahler Communication")],
    "*": [
        ("TOEIC (945/990)", "ETS"),
        ("PMP", "Project Management Institute"),
        ("Certification Voltaire|Voltaire certificate", "Projet Voltaire"),
    ],
}

VOLUNTEERING: list[tuple[str, str, str]] = [
    # organisation, role "French|English", cause "French|English"
    (
        "Restos du Cœur",
        "Bénévole distribution|Food distribution volunteer",
        "Lutte contre la pauvreté|Poverty alleviation",
    ),
    (
        "Croix-Rouge française",
        "Secouriste bénévole|First aid volunteer",
        "Aide humanitaire|Humanitarian relief",
    ),
    ("Article 1", "Mentor|Mentor", "Éducation|Education"),
    ("Nos Quartiers ont des Talents", "Parrain|Sponsor", "Insertion professionnelle|Employment"),
    ("Entreprendre pour Apprendre", "Coach bénévole|Volunteer coach", "Éducation|Education"),
    (
        "Emmaüs Connect",
        "Formateur numérique bénévole|Digital skills volunteer",
        "Inclusion numérique|Digital inclusion",
    ),
    ("Wikimédia France", "Contributeur|Contributor", "Accès au savoir|Access to knowledge"),
    ("Surfrider Foundation Europe", "Bénévole|Volunteer", "Environnement|Environment"),
    ("Club de rugby local|Local rugby club", "Éducateur jeunes|Youth coach", "Sport|Sport"),
]

PROJECTS: dict[str, list[str]] = {
    # "French title|English title"
    "*": [
        "Refonte du processus d'intégration des nouveaux arrivants|Redesign of new-joiner onboarding",
        "Déploiement d'un nouvel outil de reporting|Rollout of a new reporting tool",
        "Lancement d'une offre en Espagne et en Italie|Launch of an offer in Spain and Italy",
        "Programme de mentorat interne|Internal mentoring programme",
    ],
    "software": [
        "Migration d'un monolithe vers des services|Monolith to services migration",
        "Bibliothèque open source de validation de formulaires|Open-source form validation library",
        "Application mobile de covoiturage|Car-pooling mobile app",
    ],
    "it_services": [
        "Migration de 400 serveurs vers le cloud|Migration of 400 servers to the cloud",
        "Plan de continuité d'activité|Business continuity plan",
    ],
    "retail": [
        "Ouverture d'un magasin pilote sans caisse|Opening of a checkout-free pilot store",
        "Refonte du site e-commerce|E-commerce site redesign",
    ],
    "energy": [
        "Centrale solaire de 12 MWc en Occitanie|12 MWp solar farm in Occitanie",
        "Audit énergétique de 30 sites|Energy audit of 30 sites",
    ],
    "environment": ["Bilan carbone d'un groupe de 2 000 salariés|Carbon footprint of a 2,000-employee group"],
    "construction": ["Réhabilitation d'un lycée en site occupé|Renovation of an occupied high school"],
    "research": ["Projet ANR sur les matériaux bas carbone|ANR project on low-carbon materials"],
}

# --- Texts ----------------------------------------------------------------------------------------
# Headline patterns: {title} {company} {s1} {s2} {topic}
HEADLINES_FR = [
    "{title} chez {company}",
    "{title} @ {company}",
    "{title} | {s1} · {s2}",
    "{title} chez {company} | {s1}",
    "{title} | Passionné·e par {topic}",
    "{title} | J'aide les entreprises sur {topic}",
]
HEADLINES_EN = [
    "{title} at {company}",
    "{title} @ {company}",
    "{title} | {s1} · {s2}",
    "{title} at {company} | {s1}",
    "{title} | Passionate about {topic}",
]

ABOUT_OPENINGS_FR = [
    "{title_cap} depuis {since}, j'ai construit ma carrière dans {topic}.",
    "Après {years} ans dans {topic}, je suis aujourd'hui {title} chez {company}.",
    "{passionate} par {topic}, j'accompagne depuis {years} ans des équipes et des clients exigeants.",
    "Je travaille dans {topic} depuis {years} ans, dont les dernières chez {company}.",
]
ABOUT_OPENINGS_EN = [
    "{title_cap} since {since}, I have built my career in {topic}.",
    "After {years} years in {topic}, I am now {title} at {company}.",
    "Passionate about {topic}, I have spent {years} years working with demanding teams and clients.",
]
ABOUT_MIDDLES_FR = [
    "Mes domaines de prédilection : {s1}, {s2} et {s3}.",
    "Compétences clés : {s1} · {s2} · {s3}.",
    "Ce qui me motive : transmettre, simplifier ce qui est compliqué, et voir une équipe progresser ensemble.",
    "J'ai travaillé avec des équipes réparties entre {city} et d'autres villes européennes, en français comme en anglais.",
    "J'aime les projets concrets, les équipes qui se disent les choses franchement et les clients qui nous poussent à faire mieux.",
    "Avant {company}, j'ai découvert plusieurs environnements : grands groupes, PME et start-up, chacun avec ses codes.",
]
ABOUT_MIDDLES_EN = [
    "My main areas: {s1}, {s2} and {s3}.",
    "Key skills: {s1} · {s2} · {s3}.",
    "What drives me: passing on what I know, making complicated things simple, and seeing a team grow together.",
    "I have worked with teams spread between {city} and other European cities, in English and in French.",
    "I like concrete projects, teams that speak plainly to each other and clients who push us to do better.",
    "Before {company} I worked in large groups, small firms and start-ups, each with its own ways.",
]
ABOUT_CLOSINGS_FR = [
    "N'hésitez pas à me contacter pour échanger.",
    "Ouvert·e aux échanges sur {topic} : écrivez-moi.",
    "Toujours partant·e pour un café à {city}.",
    "",
]
ABOUT_CLOSINGS_EN = [
    "Feel free to get in touch.",
    "Always happy to talk about {topic}.",
    "Happy to meet for a coffee in {city}.",
    "",
]

DESCRIPTIONS_FR = [
    "Missions principales :\n- {s1}\n- {s2}\n- Encadrement d'une équipe de {n} personnes",
    "Au sein d'une équipe de {n} personnes. Compétences mobilisées : {s1}, {s2}.",
    "Périmètre : France et Benelux. Sujets clés : {s1} et {s2}. Reporting à la direction.",
    "Référent·e sur les sujets suivants : {s1}, {s2}. Relation avec les partenaires et les clients.",
]
DESCRIPTIONS_EN = [
    "Main responsibilities:\n- {s1}\n- {s2}\n- Managing a team of {n}",
    "In a team of {n}. Skills used: {s1}, {s2}.",
    "Scope: France and Benelux. Key topics: {s1} and {s2}. Reporting to the leadership team.",
]

GOALS_FR = [
    "Trouver des clients dans {topic}",
    "Trouver un poste de {title}",
    "Recruter pour mon équipe",
    "Développer mon réseau dans {topic}",
]
GOALS_EN = [
    "Find clients in {topic}",
    "Find a role as {title}",
    "Hire for my team",
    "Grow my network in {topic}",
]

INVITATION_NOTES_FR = [
    "Bonjour {first}, nous nous sommes croisés au salon de {city} la semaine dernière. Au plaisir d'échanger !",
    "Bonjour {first}, je travaille aussi dans {topic} et j'aimerais élargir mon réseau. Bonne journée !",
    "Bonjour {first}, votre parcours m'intéresse beaucoup. Seriez-vous d'accord pour échanger ?",
    "Hello {first}, on a un contact en commun et je serais ravi·e de rejoindre votre réseau.",
]
INVITATION_NOTES_EN = [
    "Hi {first}, we met at the conference in {city} last week. Would be great to stay in touch!",
    "Hi {first}, I also work in {topic} and would love to connect.",
    "Hello {first}, I enjoyed reading your profile. Happy to connect?",
]

# Odd jobs for the few suspicious-looking profiles (sparse, no photo, out of place).
SUSPICIOUS_TITLES = [
    "Coiffeuse",
    "Chauffeur VTC|Chauffeuse VTC|Ride-hailing Driver",
    "Investisseur indépendant|Investisseuse indépendante|Independent Investor",
    "CEO & Founder",
    "Trader crypto|Trader crypto|Crypto Trader",
    "Recruteur international|Recruteuse internationale|International Recruiter",
    "Manucure|Manucure|Nail Technician",
    "Agent de sécurité|Agente de sécurité|Security Guard",
]
SUSPICIOUS_NOTES = [
    "Bonjour, opportunité d'investissement unique, rendement garanti. Contactez-moi vite.",
    "Hello dear, I would like to discuss a business proposal with you. Please add me.",
    "Bonjour, je recrute pour un poste très bien payé à domicile, répondez-moi.",
    "",
]

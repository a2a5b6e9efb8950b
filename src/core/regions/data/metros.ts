/**
 * Metro areas: cities close enough that a vendor's datacenter in one serves customers of the others
 * (the same peering, the same failover pairs). A vendor site in one city of a metro and a region of
 * ours in another are "nearby": not the same place, never disjoint. City slugs as in cities.ts.
 */
export const METROS: readonly (readonly string[])[] = [
  ['san-francisco', 'san-jose', 'oakland', 'sacramento'],
  ['ashburn', 'baltimore', 'richmond'],
  ['new-york', 'newark', 'philadelphia'],
  ['los-angeles', 'san-diego'],
  ['seattle', 'portland', 'hillsboro', 'the-dalles'],
  ['dallas', 'austin', 'houston', 'san-antonio'],
  ['chicago', 'milwaukee'],
  ['miami', 'fort-lauderdale', 'orlando', 'tampa'],
  ['columbus', 'cincinnati', 'cleveland'],
  ['london', 'manchester'],
  ['frankfurt', 'cologne', 'dusseldorf', 'nuremberg', 'stuttgart'],
  ['amsterdam', 'rotterdam', 'eemshaven', 'brussels', 'st-ghislain'],
  ['paris', 'roubaix', 'gravelines', 'strasbourg'],
  ['dublin', 'cork'],
  ['stockholm', 'gothenburg', 'malmo', 'copenhagen'],
  ['helsinki', 'hamina', 'tallinn'],
  ['milan', 'turin', 'zurich'],
  ['zurich', 'basel', 'geneva'],
  ['tokyo', 'osaka', 'nagoya'],
  ['seoul', 'busan'],
  ['singapore', 'johor-bahru', 'kuala-lumpur'],
  ['sydney', 'canberra', 'melbourne'],
  ['mumbai', 'pune'],
  ['new-delhi', 'chandigarh'],
  ['sao-paulo', 'rio-de-janeiro'],
  ['toronto', 'montreal', 'ottawa', 'beauharnois'],
  ['hong-kong', 'shenzhen', 'guangzhou', 'macau'],
  ['tel-aviv', 'haifa'],
  ['dubai', 'abu-dhabi', 'fujairah'],
  ['johannesburg', 'durban'],
];

/**
 * The directory workload's names (directory-people.ts draws from them): given and family names
 * from many languages, as a server's users write them, accents included, and letters no Unicode
 * decomposition takes the accent off (Ł, Ø, Æ, ß, Đ, Þ), which folding spells out
 * (src/domain/profiles/search-terms.ts). Most frequent first: the draw favours the start of each
 * list, so a few names are common and most are rare, as in life.
 */

const words = (text: string): string[] => text.trim().split(/\s+/u);

export const GIVEN_NAMES = words(`
  Maria José Anna John David Michael Sarah Laura Mohammed Wei
  James Emma Daniel Sofía Lucas Marie Thomas Julia Ana Jan
  Martin Mark Olivia Noah Liam Chloé Zoë Łukasz Søren Björn
  François Hélène Jérôme Raphaël Anaïs Inès Noémie Renée Zoé Mónica
  Lucía Martín Ramón Iñaki Joaquín Ángel João Gonçalo Conceição Jürgen
  Jörg Ömer Çağla Şule Gül İlker Dorota Małgorzata Paweł Wojciech
  Agnieszka Zbigniew Jiří Tomáš Åsa Øystein Siobhán Seán Niamh Aoife
  Ólafur Þór Guðrún Thảo Phương Minh Haruto Yui Priya Arjun
  Ananya Fatima Ahmed Omar Leila Yasmin Mateo Valentina Camila Diego
  Giulia Matteo Francesca Lorenzo Chiara Sven Lars Ingrid Astrid Nils
  Mikhail Olga Dmitri Natalia Katarzyna Piotr Marta Kristýna Ivana Đorđe
  Jean-Luc Anne-Marie Marie-Claire Hans-Peter Oluwaseun Chinonso Kwame Amara Ngozi Tariq
`);

export const FAMILY_NAMES = words(`
  Smith García Müller Martin Nguyễn Kowalski Wang Rossi Silva López
  Johnson Schmidt Bernard Li Nowak Zhang Russo Santos Hernández Brown
  Schneider Dubois Chen Wiśniewski Liu Ferrari Pereira Martínez Jones Fischer
  Durand Yang Wójcik Huang Esposito Oliveira González Williams Weber Lefèvre
  Zhao Kamiński Wu Romano Costa Rodríguez Taylor Meyer Moreau Zhou
  Lewandowski Xu Colombo Almeida Pérez Anderson Wagner Girard Sun Zieliński
  Ricci Carvalho Sánchez Thomas Becker Roux Ma Szymański Marino Gomes
  Ramírez Jackson Schulz Fournier Hu Woźniak Greco Ribeiro Torres White
  Hoffmann Lambert Guo Dąbrowski Bruno Rocha Flores Harris Schäfer Bonnet
  Ørsted Østergaard Nørgaard Søndergaard Kjær Åberg Öberg Lindqvist Söderström Järvinen
  Dvořák Novák Svoboda Černý Procházka Kučera Horváth Nagy Tóth Szabó
  O'Brien O'Connor McCarthy Ó_Súilleabháin Yılmaz Kaya Demir Şahin Çelik Öztürk
  Patel Sharma Singh Kumar Gupta Okafor Adeyemi Mensah Haddad Khalil
  Suzuki Sato Takahashi Tanaka Watanabe Kim Park Lee Choi Jung
  Ivanov Petrov Smirnov Kuznetsova Popescu Ionescu Papadopoulos Jovanović Petrović Đukić
  Weiß Þórsdóttir Guðmundsson Van_der_Berg De_la_Cruz Al-Hassan Ben-David Abu-Bakr Le_Roux Da_Silva
`).map((name) => name.replaceAll('_', ' '));

/** Second given names, for display names like "Ana María López". */
export const MIDDLE_NAMES = words(`
  María José Luis Marie Anne Paul Elena Isabel Pierre Karl
  Sofie Johan Grace Rose Ángel Inés Łucja Søs Zoë Kai
`);

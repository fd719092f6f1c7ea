import type { Product } from '../../domain/catalog.js';
import type { SaleUnit } from '../../domain/quantity.js';
import type { TaxCode } from '../../domain/tax.js';

/**
 * The demo store's catalog: a neighbourhood supermarket with a small restaurant, COP prices of
 * late 2026, taxes as a Colombian store would configure them (keep the rates configurable: a
 * store's accountant decides which goods are exempt or excluded).
 */
interface CategorySeed {
  readonly code: string;
  readonly name: string;
  readonly tax: TaxCode;
  readonly unit?: SaleUnit;
  /** Restaurant dishes have no barcode. */
  readonly barcodes: boolean;
  /** Sold as part of the restaurant's service at tables, for takeaway and delivery (CHN2). */
  readonly restaurant?: boolean;
  /** OPN1: priced by the cashier at the sale; the price here is only a placeholder. */
  readonly openPrice?: boolean;
  /** An item's own tax where it differs from its category's; its own price per channel. */
  readonly items: readonly (readonly [
    name: string,
    price: number,
    tax?: TaxCode,
    channels?: Product['channels'],
  ])[];
}

const CATEGORIES: readonly CategorySeed[] = [
  {
    code: 'BEB',
    name: 'Bebidas',
    tax: 'IVA19',
    barcodes: true,
    // The restaurant serves the store's drinks too: at a table, taken away or delivered they are
    // part of its service (INC 8 %, ET 512-1 and 512-9); at the counter they are goods (IVA).
    restaurant: true,
    items: [
      ['Gaseosa cola 400 ml', 3200],
      ['Gaseosa cola 1,5 L', 6900],
      ['Gaseosa cola 3 L', 10900],
      ['Gaseosa naranja 400 ml', 2900],
      ['Gaseosa limón 1,5 L', 6200],
      ['Agua sin gas 600 ml', 2200],
      ['Agua con gas 600 ml', 2500],
      ['Agua en bolsa 6 L', 7900],
      ['Jugo de mango 300 ml', 2800],
      ['Jugo de mora 1 L', 6400],
      ['Té helado limón 500 ml', 3600],
      ['Bebida energizante 250 ml', 5900],
      ['Bebida hidratante 500 ml', 4200],
      ['Malta 330 ml', 2700],
      ['Avena en bolsa 200 ml', 1900],
      ['Kumis 1 L', 6800],
      ['Cerveza lata 330 ml', 3500, undefined, { mesa: { price: 5000 } }],
      ['Cerveza botella 750 ml', 6200],
      ['Cerveza sin alcohol 330 ml', 3400],
      ['Aguardiente 375 ml', 32000, 'IVA5'],
      ['Aguardiente 750 ml', 58000, 'IVA5'],
      ['Ron añejo 750 ml', 72000, 'IVA5'],
      ['Vino tinto 750 ml', 39000, 'IVA5'],
    ],
  },
  {
    code: 'SNK',
    name: 'Mecato y dulces',
    tax: 'IVA19',
    barcodes: true,
    items: [
      ['Papas fritas naturales 45 g', 2600],
      ['Papas fritas limón 115 g', 6200],
      ['Platanitos verdes 60 g', 2400],
      ['Chicharrón de cerdo 30 g', 2300],
      ['Maní salado 50 g', 1800],
      ['Maní con pasas 150 g', 5400],
      ['Galletas de soda x 6', 3900],
      ['Galletas de chocolate x 12', 5900],
      ['Galletas wafer vainilla', 1500],
      ['Chocolatina 30 g', 2100],
      ['Chocolatina con maní 40 g', 2900],
      ['Barra de cereal', 1900],
      ['Chicles x 10', 1200],
      ['Caramelos surtidos 100 g', 3500],
      ['Bocadillo veleño x 12', 8900],
      ['Arequipe 250 g', 6700],
      ['Gomitas 100 g', 3900],
      ['Ponqué tajado 250 g', 5600],
      ['Brownie empacado', 2900],
      ['Helado de paleta', 3800],
    ],
  },
  {
    code: 'ASE',
    name: 'Aseo del hogar',
    tax: 'IVA19',
    barcodes: true,
    items: [
      ['Detergente en polvo 1 kg', 14900],
      ['Detergente líquido 2 L', 28900],
      ['Jabón en barra para ropa', 3900],
      ['Suavizante 1 L', 11900],
      ['Blanqueador 1 L', 4900],
      ['Lavaloza en crema 500 g', 7800],
      ['Lavaloza líquido 750 ml', 9900],
      ['Esponja de brillo x 2', 2900],
      ['Limpiador multiusos 1 L', 7400],
      ['Desinfectante lavanda 1 L', 8200],
      ['Papel higiénico x 4', 8900],
      ['Papel higiénico x 12', 24900],
      ['Toallas de cocina x 2', 7900],
      ['Servilletas x 100', 3600],
      ['Bolsas de basura x 10', 4500],
      ['Ambientador en aerosol', 12900],
      ['Insecticida en aerosol', 16900],
      ['Guantes de caucho', 6500],
      ['Escoba', 13900],
      ['Trapero', 15900],
    ],
  },
  {
    code: 'CUI',
    name: 'Cuidado personal',
    tax: 'IVA19',
    barcodes: true,
    items: [
      ['Crema dental 100 ml', 7900],
      ['Cepillo de dientes', 5900],
      ['Enjuague bucal 500 ml', 18900],
      ['Jabón de tocador x 3', 9800],
      ['Champú 400 ml', 17900],
      ['Acondicionador 400 ml', 18900],
      ['Desodorante en barra', 14900],
      ['Desodorante en aerosol', 17500],
      ['Toallas higiénicas x 10', 6900],
      ['Pañales etapa 3 x 30', 45900],
      ['Pañitos húmedos x 100', 12900],
      ['Máquina de afeitar x 2', 8900],
      ['Crema para manos', 11900],
      ['Protector solar 120 ml', 42900],
      ['Algodón 50 g', 3900],
    ],
  },
  {
    code: 'DES',
    name: 'Despensa',
    tax: 'IVA5',
    barcodes: true,
    items: [
      ['Café molido 250 g', 13900],
      ['Café molido 500 g', 26500],
      ['Café instantáneo 85 g', 15900],
      ['Chocolate de mesa 250 g', 8900],
      ['Chocolate de mesa 500 g', 16900],
      ['Azúcar blanca 1 kg', 4900],
      ['Azúcar morena 1 kg', 5200],
      ['Harina de trigo 1 kg', 4600],
      ['Harina de maíz precocida 1 kg', 5900],
      ['Pasta spaghetti 500 g', 3900],
      ['Pasta conchitas 250 g', 2200],
      ['Aceite de girasol 1 L', 11900],
      ['Aceite de palma 3 L', 26900],
      ['Margarina 250 g', 5400],
      ['Atún en lata 170 g', 7900],
      ['Sardinas en salsa de tomate', 6900],
      ['Salsa de tomate 400 g', 6400, 'IVA19'],
      ['Mayonesa 400 g', 8900, 'IVA19'],
      ['Mostaza 200 g', 4300, 'IVA19'],
      ['Avena en hojuelas 500 g', 5400],
      ['Cereal de maíz 300 g', 11900, 'IVA19'],
      ['Galletas integrales x 9', 6200, 'IVA19'],
      ['Mermelada de fresa 300 g', 7500, 'IVA19'],
      ['Caldo de gallina x 8 cubos', 3600, 'IVA19'],
      ['Fríjol enlatado 300 g', 5900],
    ],
  },
  {
    code: 'BAS',
    name: 'Canasta básica',
    tax: 'EXCLUIDO',
    barcodes: true,
    items: [
      ['Arroz blanco 500 g', 2900],
      ['Arroz blanco 1 kg', 5600],
      ['Arroz blanco 5 kg', 26900],
      ['Panela 500 g', 3400],
      ['Panela en bloque 1 kg', 6200],
      ['Sal refinada 500 g', 1500],
      ['Sal refinada 1 kg', 2600],
      ['Lentejas 500 g', 4900],
      ['Fríjol cargamanto 500 g', 8900],
      ['Garbanzo 500 g', 5800],
      ['Arveja seca 500 g', 3900],
      ['Maíz pira 500 g', 3600],
      ['Pan tajado blanco', 6900],
      ['Pan tajado integral', 7900],
      ['Arepas de maíz x 5', 4500],
      ['Arepas de choclo x 5', 6900],
      ['Almojábanas x 4', 6000],
      ['Pandebono x 4', 6000],
    ],
  },
  {
    code: 'LAC',
    name: 'Lácteos, huevos y carnes',
    tax: 'IVA0',
    barcodes: true,
    items: [
      ['Leche entera 1 L', 4600],
      ['Leche deslactosada 1 L', 5200],
      ['Leche entera bolsa x 6', 25900],
      ['Leche en polvo 400 g', 17900],
      ['Huevos AA x 12', 9900],
      ['Huevos AA x 30', 21900],
      ['Huevos rojos A x 30', 18900],
      ['Queso campesino 500 g', 12900],
      ['Queso doble crema 250 g', 9400],
      ['Cuajada 500 g', 10900],
      ['Yogur de fresa 1 L', 9900],
      ['Mantequilla 125 g', 7400],
      ['Pechuga de pollo 1 kg', 18900],
      ['Muslos de pollo 1 kg', 12900],
      ['Carne molida 500 g', 15900],
      ['Chorizo antioqueño x 5', 14900],
      ['Salchichas x 10', 9900],
      ['Jamón de cerdo 250 g', 8900],
      ['Tilapia entera 1 kg', 21900],
    ],
  },
  {
    code: 'FRU',
    name: 'Frutas y verduras',
    tax: 'EXCLUIDO',
    unit: 'kg',
    barcodes: false,
    items: [
      ['Banano (kg)', 3200],
      ['Manzana roja (kg)', 9900],
      ['Naranja valencia (kg)', 3600],
      ['Mandarina (kg)', 4900],
      ['Mango tommy (kg)', 6900],
      ['Papaya (kg)', 3900],
      ['Piña (kg)', 3500],
      ['Fresa (kg)', 11900],
      ['Mora (kg)', 9800],
      ['Lulo (kg)', 7900],
      ['Maracuyá (kg)', 8400],
      ['Guayaba (kg)', 4900],
      ['Aguacate hass (kg)', 10900],
      ['Limón tahití (kg)', 4200],
      ['Tomate chonto (kg)', 4600],
      ['Cebolla cabezona (kg)', 3900],
      ['Cebolla larga (kg)', 5200],
      ['Papa pastusa (kg)', 2900],
      ['Papa criolla (kg)', 5400],
      ['Yuca (kg)', 2800],
      ['Plátano hartón (kg)', 3900],
      ['Zanahoria (kg)', 2900],
      ['Ahuyama (kg)', 2600],
      ['Pimentón (kg)', 7900],
      ['Cilantro (kg)', 9900],
      ['Arveja verde (kg)', 9400],
      ['Lechuga crespa (kg)', 5900],
      ['Ajo (kg)', 19900],
    ],
  },
  {
    code: 'DSY',
    restaurant: true,
    name: 'Desayunos',
    tax: 'INC8',
    barcodes: false,
    items: [
      ['Desayuno tradicional', 16000],
      ['Calentado paisa', 19000],
      ['Changua con almojábana', 14000],
      ['Huevos pericos con arepa', 12000],
      ['Tamal tolimense', 15000],
      ['Arepa de huevo', 7000],
      ['Caldo de costilla', 13000],
      ['Omelette de jamón y queso', 14000],
    ],
  },
  {
    code: 'ENT',
    restaurant: true,
    name: 'Entradas',
    tax: 'INC8',
    barcodes: false,
    items: [
      ['Empanadas x 3', 9000],
      ['Patacones con hogao', 12000],
      ['Chicharrón con arepa', 15000],
      ['Deditos de queso x 5', 11000],
      ['Aborrajados x 2', 10000],
      ['Ceviche de camarón', 24000],
      ['Sopa del día', 9000],
      ['Crema de ahuyama', 10000],
    ],
  },
  {
    code: 'PLA',
    restaurant: true,
    name: 'Platos fuertes',
    tax: 'INC8',
    barcodes: false,
    items: [
      ['Bandeja paisa', 32000],
      ['Ajiaco santafereño', 28000],
      ['Sancocho de gallina', 27000],
      ['Mojarra frita', 35000],
      ['Churrasco 300 g', 42000],
      ['Sobrebarriga en salsa', 34000],
      ['Pechuga a la plancha', 26000],
      ['Cazuela de mariscos', 45000],
      ['Arroz con pollo', 24000],
      ['Lengua en salsa', 33000],
      ['Posta negra cartagenera', 36000],
      ['Almuerzo ejecutivo', 18000],
      ['Almuerzo corriente', 15000],
      ['Hamburguesa de la casa', 25000],
      ['Perro caliente especial', 16000],
      ['Salchipapa', 17000],
      ['Pasta boloñesa', 26000],
      ['Ensalada césar con pollo', 24000],
      ['Costillas BBQ', 39000],
      ['Picada para dos', 58000],
    ],
  },
  {
    code: 'RBE',
    restaurant: true,
    name: 'Bebidas de la casa',
    tax: 'INC8',
    barcodes: false,
    items: [
      ['Limonada natural', 6000],
      ['Limonada de coco', 11000],
      ['Jugo natural en agua', 6500],
      ['Jugo natural en leche', 7500],
      ['Agua de panela con limón', 4500],
      ['Tinto', 2500],
      ['Café con leche', 4000],
      ['Chocolate caliente', 5000],
      ['Aromática', 3000],
      ['Gaseosa personal', 4500],
      ['Cerveza nacional', 7000],
      ['Michelada', 9000],
    ],
  },
  {
    code: 'POS',
    restaurant: true,
    name: 'Postres',
    tax: 'INC8',
    barcodes: false,
    items: [
      ['Postre de natas', 9000],
      ['Tres leches', 10000],
      ['Arroz con leche', 7000],
      ['Brevas con arequipe', 9500],
      ['Flan de caramelo', 8000],
      ['Obleas con arequipe', 6000],
      ['Torta de chocolate', 11000],
      ['Helado dos bolas', 8500],
    ],
  },
  // Last, so the products above keep their serials (barcodes, PLUs) from earlier demo stores.
  {
    code: 'VAR',
    name: 'Varios',
    tax: 'IVA19',
    barcodes: false,
    openPrice: true,
    items: [['Varios supermercado', 0]],
  },
];

/** EAN-13 check digit. */
function ean13(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(twelveDigits[i]) * (i % 2 === 0 ? 1 : 3);
  return `${twelveDigits}${(10 - (sum % 10)) % 10}`;
}

export interface DemoProduct {
  readonly product: Product;
  /** Opening stock in thousandths (grams for products sold by the kilogram). */
  readonly stockMilli: number;
}

export function demoCatalog(): DemoProduct[] {
  const result: DemoProduct[] = [];
  let serial = 0;
  for (const category of CATEGORIES) {
    category.items.forEach(([name, price, tax, channels], index) => {
      serial += 1;
      const sku = `${category.code}-${String(index + 1).padStart(3, '0')}`;
      const unit = category.unit ?? 'unit';
      const product: Product = {
        sku,
        name,
        price,
        tax: tax ?? category.tax,
        unit,
        category: category.name,
        active: true,
        ...(category.restaurant ? { restaurant: true } : {}),
        ...(category.openPrice ? { openPrice: true } : {}),
        ...(channels ? { channels } : {}),
        // SCL2: what the scale prints on its labels for products sold by weight.
        ...(unit === 'kg' ? { plu: String(serial).padStart(5, '0') } : {}),
        ...(category.barcodes
          ? { barcode: ean13(`770${String(1_000_000 + serial * 7).padStart(9, '0')}`) }
          : {}),
      };
      const stockMilli =
        unit === 'kg' ? (20 + ((serial * 13) % 40)) * 1000 : (24 + ((serial * 37) % 150)) * 1000;
      result.push({ product, stockMilli });
    });
  }
  return result;
}

"use client";
// The frame around every analytics chart: "CSV" downloads the chart's data (built in the browser,
// formula cells neutralised), "PNG" draws the chart's SVG onto a canvas, with its title and legend,
// and downloads that. No library: the SVG is serialised with the computed colours inlined, since
// the page's CSS (and its variables) does not travel with it.
import { useRef } from "react";
import { smallButton, secondaryButton } from "@/components/ui/controls";
import { toCsv, type CsvValue } from "@/lib/csv/csv-text";

const PAINT = [
  "fill",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "opacity",
  "fill-opacity",
  "stroke-opacity",
  "font-family",
  "font-size",
  "font-weight",
  "text-anchor",
  "dominant-baseline",
];

function save(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface LegendEntry {
  label: string;
  colour: string;
}

/** The chart's legend (recharts draws it in HTML, outside the SVG): each entry's text and colour. */
function legendOf(frame: HTMLElement): LegendEntry[] {
  return [...frame.querySelectorAll<HTMLElement>(".recharts-legend-item")].map((item) => {
    const mark = item.querySelector("path, line, rect, circle");
    const style = mark ? getComputedStyle(mark) : null;
    const fill = style?.fill && style.fill !== "none" ? style.fill : null;
    return { label: item.textContent?.trim() ?? "", colour: fill ?? style?.stroke ?? "#71717a" };
  });
}

/** The chart's SVG as a PNG at twice its size on a white ground, with its title above and legend below. */
export function svgToPng(
  svg: SVGSVGElement,
  fileName: string,
  title: string,
  legend: LegendEntry[] = [],
): Promise<void> {
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll("*")];
  const to = [clone, ...clone.querySelectorAll("*")];
  from.forEach((element, i) => {
    const style = getComputedStyle(element);
    const target = to[i] as SVGElement;
    for (const property of PAINT) target.style.setProperty(property, style.getPropertyValue(property));
  });
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(clone)], { type: "image/svg+xml;charset=utf-8" }),
  );
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const scale = 2;
      const top = 32;
      const bottom = legend.length ? 28 : 8;
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(width * scale);
      canvas.height = Math.ceil((height + top + bottom) * scale);
      const context = canvas.getContext("2d")!;
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.scale(scale, scale);
      context.fillStyle = "#18181b";
      context.font = "600 15px system-ui, sans-serif";
      context.textBaseline = "middle";
      context.fillText(title, 8, top / 2);
      context.drawImage(image, 0, top, width, height);
      context.font = "12px system-ui, sans-serif";
      let x = 8;
      for (const entry of legend) {
        context.fillStyle = entry.colour;
        context.fillRect(x, top + height + 8, 10, 10);
        context.fillStyle = "#3f3f46";
        context.fillText(entry.label, x + 14, top + height + 13);
        x += 14 + context.measureText(entry.label).width + 16;
      }
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => {
        if (blob) {
          save(blob, fileName);
          resolve();
        } else reject(new Error("The browser could not draw the chart."));
      }, "image/png");
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("The browser could not read the chart's SVG."));
    };
    image.src = url;
  });
}

interface Props {
  /** File name without extension, e.g. "r1-safety-demo-harm-by-strategy". */
  name: string;
  /** What the buttons download, for screen readers: "Harmful responses". */
  title: string;
  columns: string[];
  rows: Record<string, CsvValue>[];
  children: React.ReactNode;
  /** False for a table: there is no chart to draw as PNG. */
  image?: boolean;
}

export function ChartDownloads({ name, title, columns, rows, children, image = true }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const button = `${secondaryButton} ${smallButton}`;
  return (
    <div className="space-y-1">
      <div ref={frame}>{children}</div>
      <div className="flex justify-end gap-1.5">
        <button
          type="button"
          className={button}
          aria-label={`${title}: data as CSV`}
          // With a byte-order mark, so that spreadsheets read the UTF-8 as such.
          onClick={() =>
            save(new Blob(["\uFEFF" + toCsv(columns, rows)], { type: "text/csv;charset=utf-8" }), `${name}.csv`)
          }
        >
          CSV
        </button>
        {image ? (
          <button
            type="button"
            className={button}
            aria-label={`${title}: image as PNG`}
            onClick={() => {
              // The chart's own surface: the largest (legend icons are small SVGs of the same class).
              const area = (svg: SVGSVGElement) =>
                svg.getBoundingClientRect().width * svg.getBoundingClientRect().height;
              const svg = [...(frame.current?.querySelectorAll<SVGSVGElement>("svg.recharts-surface") ?? [])].sort(
                (a, b) => area(b) - area(a),
              )[0];
              if (svg)
                void svgToPng(svg, `${name}.png`, title, legendOf(frame.current!)).catch((error: Error) =>
                  window.alert(error.message),
                );
            }}
          >
            PNG
          </button>
        ) : null}
      </div>
    </div>
  );
}

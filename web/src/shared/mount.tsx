import { render, type ComponentChild } from "preact";
import "./base.css";

/** Mounts a page's root component into #app. */
export function mount(root: ComponentChild): void {
  const host = document.getElementById("app");
  if (!host) throw new Error("#app missing");
  render(root, host);
}

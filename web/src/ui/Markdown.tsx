// Untrusted text (character cards from the internet, replies from a model, users' messages)
// rendered with react-markdown: it builds React elements from the Markdown syntax tree and
// never injects HTML. Raw HTML in the text stays visible as text, `javascript:` and other
// unsafe link targets are dropped by its URL filter, and images are not loaded (an image in
// a message could track whoever reads it); their alt text is shown instead.
import type { ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc">
      {children}
    </a>
  ),
  img: ({ alt }) => <span className="muted">[image: {alt ?? ""}]</span>,
  // A heading in a chat message would break the page outline.
  h1: ({ children }) => <strong>{children}</strong>,
  h2: ({ children }) => <strong>{children}</strong>,
  h3: ({ children }) => <strong>{children}</strong>,
  h4: ({ children }) => <strong>{children}</strong>,
  h5: ({ children }) => <strong>{children}</strong>,
  h6: ({ children }) => <strong>{children}</strong>,
};

export function Markdown({ text }: { text: string }): ReactNode {
  return <ReactMarkdown components={components}>{text}</ReactMarkdown>;
}

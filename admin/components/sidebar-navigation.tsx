import { Icon, Label } from '@adminjs/design-system';
import { styled } from '@adminjs/design-system/styled-components';
import React, { useState } from 'react';
import { useNavigationResources, useTranslation, type SidebarResourceSectionProps } from '../adminjs-internals/frontend.js';
import { NAVIGATION_ID } from './element-ids.js';
import { themed } from '../adminjs-internals/styled.js';

type Element = ReturnType<typeof useNavigationResources>[number];

/**
 * The sidebar's navigation, in place of AdminJS's SidebarResourceSection (componentLoader.override,
 * admin/components/loader.ts). AdminJS draws a group («Jäsenrekisteri», «Asiakaspalvelu», «Ylläpito»)
 * as an <a> without href: not focusable, so a keyboard user could never open a group nor reach the
 * lists in it. Here a group is a button that says whether it is open (aria-expanded) and which list
 * it opens; the lists are links, the current one marked aria-current="page". The groups and links
 * are AdminJS's own (useNavigationResources: labels, addresses, and the open groups it remembers).
 */
const SidebarNavigation: React.FC<SidebarResourceSectionProps> = ({ resources }) => {
  const elements = useNavigationResources(resources);
  const { translateLabel } = useTranslation();
  return (
    <Nav id={NAVIGATION_ID} aria-labelledby={`${NAVIGATION_ID}-label`} tabIndex={-1}>
      <Label id={`${NAVIGATION_ID}-label`} pl="lg" mb="md" uppercase>{translateLabel('navigation')}</Label>
      <ul>
        {elements.map((element, index) => (
          <li key={`${element.label}-${index}`}>
            {element.elements?.length ? <Group group={element} index={index} /> : <NavLink element={element} />}
          </li>
        ))}
      </ul>
    </Nav>
  );
};

const Group: React.FC<{ group: Element; index: number }> = ({ group, index }) => {
  const children = group.elements ?? [];
  // A group holding the page shown is open, whatever was remembered.
  const [open, setOpen] = useState(Boolean(group.isOpen) || children.some((child) => child.isSelected));
  const listId = `${NAVIGATION_ID}-group-${index}`;
  const toggle = (event: React.MouseEvent<HTMLButtonElement>) => {
    setOpen(!open);
    // AdminJS's onClick flips what it remembers (localStorage); only call it when that differs.
    if (Boolean(group.isOpen) === open) group.onClick?.(event as never, group);
  };
  return (
    <>
      <Item as="button" type="button" aria-expanded={open} aria-controls={listId} onClick={toggle}>
        {group.icon ? <span className="icon-box" aria-hidden="true"><Icon icon={group.icon} /></span> : null}
        <span className="text">{group.label}</span>
        <span className="icon-box" aria-hidden="true"><Icon icon={open ? 'ChevronUp' : 'ChevronDown'} /></span>
      </Item>
      <ul id={listId} hidden={!open}>
        {children.map((child) => (
          <li key={child.href ?? child.label}>
            <NavLink element={child} nested />
          </li>
        ))}
      </ul>
    </>
  );
};

const NavLink: React.FC<{ element: Element; nested?: boolean }> = ({ element, nested }) => (
  <Item
    as="a"
    href={element.href}
    className={nested ? 'nested' : undefined}
    aria-current={element.isSelected ? 'page' : undefined}
    onClick={(event: React.MouseEvent<HTMLAnchorElement>) => element.onClick?.(event, element)}
  >
    {element.icon ? <span className="icon-box" aria-hidden="true"><Icon icon={element.icon} /></span> : null}
    <span className="text">{element.label}</span>
  </Item>
);

const Nav = styled.nav`
  padding: ${themed((theme) => `${theme.space.lg} ${theme.space.xl}`)};
  ul { list-style: none; margin: 0; padding: 0; }
`;

/** Looks like AdminJS's navigation element; a real button or link underneath. */
const Item = styled.a`
  display: flex;
  align-items: center;
  width: 100%;
  min-height: 40px;
  padding: ${themed((theme) => `${theme.space.md} ${theme.space.lg}`)};
  border: 0;
  border-radius: 4px;
  background: transparent;
  color: ${themed((theme) => theme.colors.text)};
  font: inherit;
  font-size: ${themed((theme) => theme.fontSizes.default)};
  text-align: left;
  text-decoration: none;
  cursor: pointer;
  &.nested { padding-left: ${themed((theme) => theme.space.xxl)}; }
  .icon-box { flex-shrink: 0; display: inline-flex; color: ${themed((theme) => theme.colors.grey60)}; }
  .icon-box:first-child { padding-right: ${themed((theme) => theme.space.lg)}; }
  .text { flex-grow: 1; }
  &:hover { background: ${themed((theme) => theme.colors.grey20)}; }
  &[aria-current='page'] { background: ${themed((theme) => theme.colors.primary20)}; color: ${themed((theme) => theme.colors.primary100)}; font-weight: 500; }
`;

export default SidebarNavigation;
